// One prediction answer: the predicted class or value, class probabilities as bars, the
// version that answered and the request id.
import type { PredictAnswer } from "../../api/deployments";
import { FeedbackForm } from "./FeedbackForm";
import "./deployments.css";

export function Prediction({ name, answer }: { name: string; answer: PredictAnswer }) {
  const p = answer.predictions[0];
  if (!p) return null;
  const probabilities = Object.entries(p.probabilities ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <div className="panel" data-testid="try-result">
      <div className="km-stat">
        <span className="muted">predicted</span>
        <span className="value" data-testid="try-predicted">
          {String(p.predicted)}
        </span>
      </div>
      {probabilities.length > 0 && (
        <div className="km-probs">
          {probabilities.map(([label, value]) => (
            <div key={label} style={{ display: "contents" }}>
              <span>{label}</span>
              <div className="km-bar" style={{ width: `${Math.max(1, value * 100)}%` }} />
              <span className="mono">{(value * 100).toFixed(1)}%</span>
            </div>
          ))}
        </div>
      )}
      {answer.warnings?.map((w) => (
        <p className="muted" key={w} data-testid="try-warning">
          warning: {w}
        </p>
      ))}
      <p className="muted">
        answered by {answer.model.name} v{answer.model.version}, request id{" "}
        <code data-testid="try-request-id">{answer.request_id}</code>
      </p>
      <FeedbackForm
        key={answer.request_id}
        name={name}
        requestId={answer.request_id}
        classes={Object.keys(p.probabilities ?? {})}
      />
    </div>
  );
}
