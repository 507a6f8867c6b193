// A labelled on/off checkbox for page options ("Only differences", "sweep (grid)").
import type { ReactNode } from "react";

interface Props {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  children: ReactNode;
}

export function Toggle({ checked, onChange, testId, children }: Props) {
  return (
    <label>
      <input type="checkbox" data-testid={testId} checked={checked} onChange={(e) => onChange(e.target.checked)} />{" "}
      {children}
    </label>
  );
}
