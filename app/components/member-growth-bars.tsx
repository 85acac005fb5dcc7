import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { useEffect, useRef } from "react";

/**
 * What a keyboard can reach in the chart: polaris-viz listens for focus on each bar group (`g role="list"`) to show its
 * tooltip, and Chromium makes an SVG element with a focus listener a tab stop though it has no tabindex.
 */
const tabStops = 'a[href], button, [tabindex]:not([tabindex="-1"]), svg [role]:not([tabindex])';

/**
 * The member growth chart's bars (polaris-viz), in a module of its own that Home loads in the browser once the page is
 * live: the server never draws the chart, so the app's process never loads polaris-viz (decision 047), and Home's
 * first script does not carry it. Its bars are taken out of the tab order: the chart is hidden from assistive
 * technology, which reads "Show as table" instead, so Tab went through 30 stops that said nothing before reaching it
 * (a re-check found it). The mouse's tooltips stay.
 */
export default function MemberGrowthBars({
  data,
  formatNumber,
}: {
  data: Array<{ name: string; data: Array<{ key: string; value: number }> }>;
  formatNumber: (value: number) => string;
}) {
  const chart = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = chart.current;
    if (!node) return;
    const untab = () => {
      for (const stop of node.querySelectorAll<HTMLElement | SVGElement>(tabStops)) stop.setAttribute("tabindex", "-1");
    };
    untab();
    // polaris-viz draws its bars once it has measured the container, and again on each resize or new data.
    const observer = new MutationObserver(untab);
    observer.observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"] });
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={chart} style={{ height: "100%" }}>
      <PolarisVizProvider>
        <BarChart
          data={data}
          theme="Light"
          showLegend={false}
          yAxisOptions={{ labelFormatter: (value) => formatNumber(Number(value ?? 0)) }}
        />
      </PolarisVizProvider>
    </div>
  );
}
