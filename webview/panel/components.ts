/**
 * The only module that touches the UI toolkit. @vscode/webview-ui-toolkit is archived upstream;
 * moving to @vscode-elements/elements means changing this file only.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDataGrid, vsCodeDataGridCell, vsCodeDataGridRow } from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDataGrid(), vsCodeDataGridRow(), vsCodeDataGridCell());

export function button(label: string, onClick: () => void): HTMLElement {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

/** A data grid with a header row; every cell is text. */
export function dataGrid(headers: string[], rows: string[][], ariaLabel: string): HTMLElement {
  const grid = document.createElement('vscode-data-grid');
  grid.setAttribute('aria-label', ariaLabel);
  const headerRow = document.createElement('vscode-data-grid-row');
  headerRow.setAttribute('row-type', 'header');
  headers.forEach((text, i) => headerRow.appendChild(cell(text, i, 'columnheader')));
  grid.appendChild(headerRow);
  for (const row of rows) {
    const element = document.createElement('vscode-data-grid-row');
    row.forEach((text, i) => element.appendChild(cell(text, i)));
    grid.appendChild(element);
  }
  return grid;
}

function cell(text: string, column: number, type?: string): HTMLElement {
  const element = document.createElement('vscode-data-grid-cell');
  element.setAttribute('grid-column', String(column + 1));
  if (type) element.setAttribute('cell-type', type);
  element.textContent = text;
  return element;
}
