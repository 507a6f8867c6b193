// One colour per compared run, the same in every chart of the comparison page.
const PALETTE = [
  "#2563eb",
  "#dc2626",
  "#16a34a",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#db2777",
  "#65a30d",
  "#ea580c",
  "#4f46e5",
  "#0d9488",
  "#9333ea",
  "#b91c1c",
  "#15803d",
  "#a16207",
  "#0369a1",
];

export const runColor = (index: number) => PALETTE[index % PALETTE.length];
