// The one table every list and detail page draws (`table.data`): a header row from the
// column definitions, then one row per item. Pages say what each column shows; the markup,
// numeric alignment and test ids are the same everywhere.
import type { ComponentProps, ReactNode } from "react";

export interface Column<T> {
  /** The heading; omit every heading for a table without a header row. */
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned numbers (heading and cells). */
  num?: boolean;
  /** Classes of the cells ("mono" for ids, digests and paths; "muted"). */
  className?: string;
}

type RowProps = ComponentProps<"tr"> & { [data: `data-${string}`]: string | number | boolean | undefined };

interface Props<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T, index: number) => string | number;
  testId?: string;
  /** data-testid of every row. */
  rowTestId?: string;
  /** More attributes of a row (data-*, className, onClick). */
  rowProps?: (row: T) => RowProps;
  style?: ComponentProps<"table">["style"];
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ") || undefined;

export function DataTable<T>({ rows, columns, rowKey, testId, rowTestId, rowProps, style }: Props<T>) {
  const headed = columns.some((c) => c.header !== undefined);
  return (
    <table className="data" data-testid={testId} style={style}>
      {headed && (
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={classes(c.num && "num")}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {rows.map((row, r) => (
          <tr key={rowKey(row, r)} data-testid={rowTestId} {...rowProps?.(row)}>
            {columns.map((c, i) => (
              <td key={i} className={classes(c.num && "num", c.className)}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
