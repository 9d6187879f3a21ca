/**
 * The W × B heatmap of the WRIT grid (rows: writes per task W; columns: evidence reads per write
 * B), one component in three variants:
 *  - "metric": one metric per cell on the SVG heatmap (./heatmap.tsx) under a metric picker; the
 *    calibration workbench's cells and the compare view's cell deltas;
 *  - "overview": the experiment overview's per-cell charts (shorter axis names; cells link to
 *    their groups);
 *  - "task-grid": a task set's grid as an HTML table of links (built / requested per cell), which
 *    renders on the server (./wb-task-grid.tsx).
 * No "use client" here: the task grid stays a server component; the SVG variants are client
 * components through ./heatmap.tsx and are used from client components only.
 */
import { Heatmap, type HeatmapProps } from "./heatmap";
import { MetricPicker, type MetricPickerProps } from "./metric-picker";
import { WBTaskGrid, type WBTaskGridProps } from "./wb-task-grid";

const AXES = {
  metric: { rowAxisLabel: "W (writes per task)", colAxisLabel: "B (evidence reads per write)" },
  overview: { rowAxisLabel: "W (writes)", colAxisLabel: "B (reads per write)" },
} as const;

type ChartProps = Omit<HeatmapProps, "rowAxisLabel" | "colAxisLabel">;

export type WBHeatmapProps<K extends string = string> =
  | ({ variant: "metric"; picker: MetricPickerProps<K> } & ChartProps)
  | ({ variant: "overview" } & ChartProps)
  | ({ variant: "task-grid" } & WBTaskGridProps);

export function WBHeatmap<K extends string>(props: WBHeatmapProps<K>) {
  if (props.variant === "task-grid") {
    const { variant: _variant, ...grid } = props;
    return <WBTaskGrid {...grid} />;
  }
  if (props.variant === "overview") {
    const { variant: _variant, ...chart } = props;
    return <Heatmap {...AXES.overview} {...chart} />;
  }
  const { variant: _variant, picker, ...chart } = props;
  return (
    <div className="space-y-2">
      <MetricPicker {...picker} />
      <Heatmap {...AXES.metric} {...chart} />
    </div>
  );
}
