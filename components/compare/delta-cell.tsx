import { fmtSigned } from "@/components/calibration/series";

/** A B − A table cell: blue when B is higher, red when lower, grey for none. */
export function DeltaCell({ value, digits = 3, unit = "" }: { value: number | null; digits?: number; unit?: string }) {
  const tone = value === null || Math.abs(value) < 1e-12 ? "text-zinc-500" : value > 0 ? "text-blue-700 dark:text-blue-300" : "text-red-600 dark:text-red-400";
  return (
    <td className={"text-right " + tone} data-col="delta">
      {value === null ? "n/a" : `${fmtSigned(value, digits)}${unit}`}
    </td>
  );
}
