// The required name field of the editor's side forms (the pipeline's name, a step's name),
// with its problem shown under it.
interface Props {
  label: string;
  value: string;
  problem?: string;
  testId: string;
  onChange: (value: string) => void;
}

export function NameField({ label, value, problem, testId, onChange }: Props) {
  return (
    <label className="field">
      <span>
        {label}
        <span className="required-mark">*</span>
      </span>
      <input
        value={value}
        className={problem ? "invalid" : ""}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span className="field-error" data-testid="field-error">
          {problem}
        </span>
      )}
    </label>
  );
}
