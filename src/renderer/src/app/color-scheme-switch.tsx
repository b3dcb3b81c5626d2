import { type MantineColorScheme, SegmentedControl, useMantineColorScheme } from '@mantine/core';

const OPTIONS: { value: MantineColorScheme; label: string }[] = [
  { value: 'auto', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/**
 * Light, dark or the system's setting (the default). Mantine's color scheme manager keeps the
 * choice in localStorage, so it survives a reload and a restart of the desktop window.
 */
export function ColorSchemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      data={OPTIONS}
      value={colorScheme}
      onChange={(v) => setColorScheme(v as MantineColorScheme)}
      aria-label="Color scheme"
      data-testid="color-scheme"
    />
  );
}
