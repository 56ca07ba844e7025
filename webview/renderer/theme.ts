/**
 * A Vega config from VS Code's theme CSS variables, so plots follow light, dark and
 * high-contrast themes. The variables live on the notebook output webview's body.
 */
export function themeVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

export function isHighContrast(): boolean {
  return document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
}

export function vegaThemeConfig(): Record<string, unknown> {
  const foreground = themeVar('--vscode-editor-foreground', '#333333');
  const muted = themeVar('--vscode-descriptionForeground', foreground);
  const grid = themeVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const font = themeVar('--vscode-font-family', 'sans-serif');
  const highContrast = isHighContrast();
  return {
    background: 'transparent',
    font,
    title: { color: foreground, font, fontSize: 13 },
    axis: {
      labelColor: muted,
      titleColor: foreground,
      domainColor: highContrast ? foreground : grid,
      tickColor: highContrast ? foreground : grid,
      gridColor: grid,
      gridOpacity: highContrast ? 0.6 : 0.4,
      labelFont: font,
      titleFont: font,
    },
    legend: { labelColor: muted, titleColor: foreground, labelFont: font, titleFont: font },
    header: { labelColor: foreground, titleColor: foreground, labelFont: font, titleFont: font },
    view: { stroke: highContrast ? foreground : 'transparent' },
    ...(highContrast ? { range: { category: ['#ffd700', '#00ffff', '#ff00ff', '#7fff00', '#ff8c00', '#ffffff'] } } : {}),
  };
}
