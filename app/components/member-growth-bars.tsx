import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";

/**
 * The member growth chart's bars (polaris-viz), in a module of its own that Home loads in the browser once the page is
 * live: the server never draws the chart, so the app's process never loads polaris-viz (decision 047), and Home's
 * first script does not carry it.
 */
export default function MemberGrowthBars({
  data,
  formatNumber,
}: {
  data: Array<{ name: string; data: Array<{ key: string; value: number }> }>;
  formatNumber: (value: number) => string;
}) {
  return (
    <PolarisVizProvider>
      <BarChart
        data={data}
        theme="Light"
        showLegend={false}
        yAxisOptions={{ labelFormatter: (value) => formatNumber(Number(value ?? 0)) }}
      />
    </PolarisVizProvider>
  );
}
