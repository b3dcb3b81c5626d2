import { AreaChart } from '@mantine/charts';
import { Box, Group, Paper, SegmentedControl, Skeleton, Text, Title } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { useRelaydesk } from '../../store';
import { CHART_RANGES, type ChartRange } from '../../store/chart-ranges';
import { chartRows, plottedTotal } from './chart-data';

const HEIGHT = 240;
/** The window slides on when no mail arrives either; a minute is the smallest bucket. */
const SLIDE_MS = 60_000;

const RANGE_OPTIONS = Object.entries(CHART_RANGES).map(([value, r]) => ({ value, label: r.label }));
const SERIES = [
  { name: 'arrived', label: 'Arrived', color: 'blue.6' },
  { name: 'delivered', label: 'Delivered', color: 'green.6' },
  { name: 'bounced', label: 'Bounced', color: 'red.6' },
];
/** The legend in the order of the lifecycle, not alphabetical (recharts' default). */
const legendOrder = (item: { dataKey?: unknown }) => SERIES.findIndex((s) => s.name === item.dataKey);

/** Arrived, delivered and bounced over time; live through `stats.changed`. */
export function TrafficChart() {
  const range = useRelaydesk((s) => s.dashboard.range);
  const series = useRelaydesk((s) => s.dashboard.series);
  const setChartRange = useRelaydesk((s) => s.setChartRange);
  const refreshSeries = useRelaydesk((s) => s.refreshSeries);
  const refreshSummary = useRelaydesk((s) => s.refreshSummary);

  // "Today" turns over at midnight with no mail to push a change either.
  useEffect(() => {
    const timer = setInterval(() => {
      void refreshSeries();
      void refreshSummary();
    }, SLIDE_MS);
    return () => clearInterval(timer);
  }, [refreshSeries, refreshSummary]);

  const current = series?.range === range ? series.points : null;
  const rows = useMemo(
    () => (current ? chartRows(current, CHART_RANGES[range].bucket) : null),
    [current, range],
  );
  const total = rows ? plottedTotal(rows) : 0;

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={5}>Mail over time</Title>
        <SegmentedControl
          size="xs"
          data={RANGE_OPTIONS}
          value={range}
          onChange={(v) => setChartRange(v as ChartRange)}
          aria-label="Time span"
        />
      </Group>
      <Box data-testid="dashboard-chart" data-range={range} data-points={rows ? total : undefined} h={HEIGHT}>
        {rows ? (
          <AreaChart
            h={HEIGHT}
            data={rows}
            dataKey="label"
            series={SERIES}
            curveType="linear"
            withDots={false}
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 30, itemSorter: legendOrder }}
            tickLine="none"
            xAxisProps={{ minTickGap: 24 }}
            // An empty chart still gets a scale of a few mails, not a single 0 line.
            yAxisProps={{ allowDecimals: false, domain: total === 0 ? [0, 4] : [0, 'auto'] }}
            // Redrawn at every push: an animation each time would make it flicker.
            areaProps={{ isAnimationActive: false }}
          />
        ) : (
          <Skeleton h={HEIGHT} />
        )}
      </Box>
      {rows && total === 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          No mail in this span yet; the lines rise as mail arrives.
        </Text>
      )}
    </Paper>
  );
}
