// Sends the true label of a prediction (POST /serve/NAME/feedback), which feeds the
// deployment's live accuracy (or RMSE and MAE for a regressor).
import { useState } from "react";
import { sendFeedback } from "../../api/deployments";
import { ErrorBanner } from "../../components/Status";

export function FeedbackForm({ name, requestId, classes }: { name: string; requestId: string; classes: string[] }) {
  const [label, setLabel] = useState("");
  const [touched, setTouched] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>();
  const regression = classes.length === 0;
  const problem = !label.trim()
    ? "the true label is required"
    : regression && !Number.isFinite(Number(label))
      ? "the true value must be a number"
      : "";

  async function send() {
    setTouched(true);
    if (problem) return;
    setError(undefined);
    try {
      await sendFeedback(name, requestId, regression ? Number(label) : label);
      setSent(true);
    } catch (e) {
      setError(e);
    }
  }
  if (sent)
    return (
      <div className="notice" data-testid="feedback-sent">
        Feedback recorded: it counts in the live quality.
      </div>
    );
  return (
    <div className="toolbar">
      <span className="muted">True {regression ? "value" : "label"}:</span>
      {regression ? (
        <input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          size={8}
          className={touched && problem ? "invalid" : ""}
        />
      ) : (
        <select
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          className={touched && problem ? "invalid" : ""}
          data-testid="feedback-label"
        >
          <option value="" />
          {classes.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      )}
      <button onClick={send} data-testid="feedback-send">
        Send feedback
      </button>
      {touched && problem && <span className="field-error">{problem}</span>}
      <ErrorBanner error={error} />
    </div>
  );
}
