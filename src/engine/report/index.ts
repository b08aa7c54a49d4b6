/** The run report: report.md with the pipeline flowchart, phase table, evaluation and PNG charts. */
export { writeReport, renderReport, type ReportResult } from './writeReport';
export { readRunRecords, type RunRecords, type ManifestFacts } from './runRecords';
export { writeCharts, epochAxis, CHART_SIZE, type ChartFiles } from './charts';
export { lineChartSvg, niceTicks, type LineChartSpec, type ChartSeries, type ChartRegion } from './lineChart';
export { pipelineStages, mermaidFlowchart, type PipelineStage } from './pipeline';
export { evaluationReportHooks, type EvaluationReportHooks } from './runHooks';
