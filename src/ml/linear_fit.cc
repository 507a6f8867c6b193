// Fitting linear models: ridge in closed form, logistic by damped Newton steps (ml/linear_model.h).
// The one translation unit that includes Eigen.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "ml/linear_model.h"

namespace kiln::ml {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr size_t kMaxNewtonParams = 2048;

// x with a trailing column of ones (the intercept), column-major for Eigen's products.
MatrixXd Augmented(const DenseMatrix& x) {
  MatrixXd out(x.rows, x.cols + 1);
  out.leftCols(x.cols) = Eigen::Map<const RowMajor>(x.values.data(), x.rows, x.cols);
  out.col(x.cols).setOnes();
  return out;
}

double Softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }

// The penalized log loss of the logistic (k = 1) or softmax (k >= 2) model with the parameters
// `theta` (k blocks of p = features + 1, the intercept last), and its gradient and Hessian when
// asked for.
class LogLoss {
 public:
  LogLoss(const DenseMatrix& x, const std::vector<size_t>& labels, size_t k, double l2)
      : x_(Augmented(x)), labels_(labels), k_(k), l2_(l2) {}

  size_t params() const { return k_ * p(); }

  double Value(const VectorXd& theta) const {
    double loss = Penalty(theta);
    if (k_ == 1) {
      const VectorXd z = x_ * theta;
      for (Eigen::Index i = 0; i < z.size(); ++i) {
        loss += Softplus(z[i]) - (labels_[i] == 1 ? z[i] : 0.0);
      }
      return loss;
    }
    const MatrixXd z = Scores(theta);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double top = z.row(i).maxCoeff();
      loss += top + std::log((z.row(i).array() - top).exp().sum()) - z(i, labels_[i]);
    }
    return loss;
  }

  // Gradient and Hessian at `theta`.
  void Derivatives(const VectorXd& theta, VectorXd& gradient, MatrixXd& hessian) const {
    const Eigen::Index n = x_.rows(), p = x_.cols();
    const MatrixXd prob = Probabilities(theta);  // n x k
    MatrixXd residual = prob;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (k_ == 1) {
        residual(i, 0) -= labels_[i] == 1 ? 1.0 : 0.0;
      } else {
        residual(i, static_cast<Eigen::Index>(labels_[i])) -= 1.0;
      }
    }
    gradient.resize(params());
    hessian.resize(params(), params());
    for (size_t a = 0; a < k_; ++a) {
      const Eigen::Index ai = static_cast<Eigen::Index>(a);
      gradient.segment(ai * p, p) = x_.transpose() * residual.col(ai);
      for (size_t b = a; b < k_; ++b) {
        const Eigen::Index bi = static_cast<Eigen::Index>(b);
        VectorXd weight =
            k_ == 1
                ? VectorXd(prob.col(0).array() * (1.0 - prob.col(0).array()))
                : VectorXd(prob.col(ai).array() * ((a == b ? 1.0 : 0.0) - prob.col(bi).array()));
        const MatrixXd block = x_.transpose() * (x_.array().colwise() * weight.array()).matrix();
        hessian.block(ai * p, bi * p, p, p) = block;
        if (b != a) hessian.block(bi * p, ai * p, p, p) = block.transpose();
      }
    }
    for (size_t a = 0; a < k_; ++a) {  // the penalty, on weights only
      for (Eigen::Index j = 0; j + 1 < p; ++j) {
        const Eigen::Index at = static_cast<Eigen::Index>(a) * p + j;
        gradient[at] += l2_ * theta[at];
        hessian(at, at) += l2_;
      }
    }
  }

  LinearModel ToModel(const VectorXd& theta) const {
    LinearModel m;
    m.link = k_ == 1 ? LinearLink::kLogistic : LinearLink::kSoftmax;
    const Eigen::Index p = x_.cols();
    for (size_t a = 0; a < k_; ++a) {
      const VectorXd block = theta.segment(static_cast<Eigen::Index>(a) * p, p);
      m.coef.emplace_back(block.data(), block.data() + p - 1);
      m.intercept.push_back(block[p - 1]);
    }
    if (k_ > 1) {  // softmax intercepts are free up to a shared shift: center them
      double mean = 0;
      for (double b : m.intercept) mean += b / static_cast<double>(k_);
      for (double& b : m.intercept) b -= mean;
    }
    m.l2 = l2_;
    return m;
  }

 private:
  Eigen::Index p() const { return x_.cols(); }

  double Penalty(const VectorXd& theta) const {
    double sum = 0;
    for (size_t a = 0; a < k_; ++a) {
      sum += theta.segment(static_cast<Eigen::Index>(a) * p(), p() - 1).squaredNorm();
    }
    return 0.5 * l2_ * sum;
  }

  MatrixXd Scores(const VectorXd& theta) const {  // n x k
    const Eigen::Map<const MatrixXd> weights(theta.data(), p(), static_cast<Eigen::Index>(k_));
    return x_ * weights;
  }

  MatrixXd Probabilities(const VectorXd& theta) const {
    MatrixXd z = Scores(theta);
    if (k_ == 1) return (1.0 + (-z.array()).exp()).inverse().matrix();
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      z.row(i).array() = (z.row(i).array() - z.row(i).maxCoeff()).exp();
      z.row(i) /= z.row(i).sum();
    }
    return z;
  }

  MatrixXd x_;
  const std::vector<size_t>& labels_;
  size_t k_;
  double l2_;
};

}  // namespace

Result<LinearModel> FitRidge(const DenseMatrix& x, const std::vector<double>& y, double l2) {
  const Eigen::Map<const RowMajor> raw(x.values.data(), x.rows, x.cols);
  const Eigen::Map<const VectorXd> target(y.data(), static_cast<Eigen::Index>(y.size()));
  const Eigen::RowVectorXd means = raw.colwise().mean();
  const MatrixXd centered = raw.rowwise() - means;
  const double y_mean = target.mean();
  MatrixXd gram = centered.transpose() * centered;
  gram.diagonal().array() += l2;
  const Eigen::LDLT<MatrixXd> solver(gram);
  const Eigen::VectorXd pivots = solver.vectorD().cwiseAbs();
  if (solver.info() != Eigen::Success || pivots.size() == 0 ||
      pivots.minCoeff() <= 1e-12 * std::max(1.0, pivots.maxCoeff())) {
    return InvalidArgument(
        "the features are constant or collinear, so the fit has no single answer: set l2 > 0");
  }
  const VectorXd w = solver.solve(centered.transpose() * (target.array() - y_mean).matrix());
  LinearModel m;
  m.link = LinearLink::kIdentity;
  m.coef.emplace_back(w.data(), w.data() + w.size());
  m.intercept.push_back(y_mean - means.dot(w));
  m.l2 = l2;
  return m;
}

Result<LinearModel> FitLogistic(const DenseMatrix& x, const std::vector<size_t>& labels,
                                size_t classes, const LogisticOptions& options) {
  const size_t k = classes == 2 ? 1 : classes;
  if (k * (x.cols + 1) > kMaxNewtonParams) {
    return InvalidArgument(
        "too many parameters for logistic regression: " + std::to_string(classes) + " classes x " +
        std::to_string(x.cols + 1) + " weights > " + std::to_string(kMaxNewtonParams));
  }
  const LogLoss loss(x, labels, k, options.l2);
  VectorXd theta = VectorXd::Zero(static_cast<Eigen::Index>(loss.params()));
  VectorXd gradient;
  MatrixXd hessian;
  double value = loss.Value(theta);
  const double scale = std::max<double>(1.0, static_cast<double>(x.rows));
  int iter = 0;
  bool converged = false;
  for (; iter < options.max_iter; ++iter) {
    loss.Derivatives(theta, gradient, hessian);
    if (gradient.lpNorm<Eigen::Infinity>() / scale < options.tol) {
      converged = true;
      break;
    }
    // A tiny damping keeps the solve defined where the loss is flat (the softmax's shared
    // intercept shift); it changes the path, not the optimum.
    hessian.diagonal().array() += 1e-10 * (1.0 + hessian.diagonal().cwiseAbs().maxCoeff());
    const VectorXd step = hessian.ldlt().solve(gradient);
    const double slope = gradient.dot(step);
    // No descent left: the optimum is as close as doubles get.
    if (!(slope > 0)) {
      converged = gradient.lpNorm<Eigen::Infinity>() / scale < std::sqrt(options.tol);
      break;
    }
    double t = 1.0;
    double next = loss.Value(theta - step);
    for (int halvings = 0; halvings < 60 && !(next <= value - 1e-4 * t * slope); ++halvings) {
      t *= 0.5;
      next = loss.Value(theta - t * step);
    }
    if (!(next <= value)) {
      converged = gradient.lpNorm<Eigen::Infinity>() / scale < std::sqrt(options.tol);
      break;
    }
    theta -= t * step;
    value = next;
  }
  LinearModel fitted = loss.ToModel(theta);
  fitted.iterations = iter;
  fitted.converged = converged;
  return fitted;
}

}  // namespace kiln::ml
