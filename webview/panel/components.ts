/**
 * The only module that touches the UI toolkit. @vscode/webview-ui-toolkit is archived upstream;
 * moving to @vscode-elements/elements means changing this file only.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDataGrid(), vsCodeDataGridRow(), vsCodeDataGridCell(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeProgressRing());

export function button(label: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean; id?: string } = {}): HTMLElement {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  if (options.secondary) element.setAttribute('appearance', 'secondary');
  if (options.disabled) element.setAttribute('disabled', '');
  if (options.id) element.id = options.id;
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) onClick();
  });
  return element;
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}

/**
 * A data grid with a header row; every cell is text. Columns are at least as wide as their
 * widest word or number (headers and cells never wrap letter by letter); in a narrow side panel
 * the grid scrolls sideways inside its own box instead.
 */
export function dataGrid(headers: string[], rows: string[][], ariaLabel: string): HTMLElement {
  const grid = document.createElement('vscode-data-grid');
  grid.setAttribute('aria-label', ariaLabel);
  grid.setAttribute('grid-template-columns', headers.map(() => 'minmax(min-content, auto)').join(' '));
  const headerRow = document.createElement('vscode-data-grid-row');
  headerRow.setAttribute('row-type', 'header');
  headers.forEach((text, i) => headerRow.appendChild(cell(text, i, 'columnheader')));
  grid.appendChild(headerRow);
  for (const row of rows) {
    const element = document.createElement('vscode-data-grid-row');
    row.forEach((text, i) => element.appendChild(cell(text, i)));
    grid.appendChild(element);
  }
  const scroller = document.createElement('div');
  scroller.className = 'grid-scroll';
  scroller.appendChild(grid);
  return scroller;
}

function cell(text: string, column: number, type?: string): HTMLElement {
  const element = document.createElement('vscode-data-grid-cell');
  element.setAttribute('grid-column', String(column + 1));
  if (type) element.setAttribute('cell-type', type);
  element.textContent = text;
  return element;
}

export interface Field {
  element: HTMLElement;
  value(): string;
  setProblem(problem: string | undefined): void;
}

/** A labelled field with room for a problem message under it. */
function labelled(label: string, control: HTMLElement & { value: string }, name: string): Field {
  const wrapper = document.createElement('div');
  wrapper.className = 'field';
  wrapper.dataset.field = name;
  const caption = document.createElement('label');
  caption.textContent = label;
  const problem = document.createElement('div');
  problem.className = 'problem';
  problem.setAttribute('role', 'alert');
  wrapper.append(caption, control, problem);
  return {
    element: wrapper,
    value: () => control.value,
    setProblem(text) {
      problem.textContent = text ?? '';
      control.toggleAttribute('aria-invalid', Boolean(text));
    },
  };
}

/** A dropdown of (value, label) options. */
export function dropdownField(label: string, name: string, options: { value: string; label: string }[], selected: string, onChange: (value: string) => void): Field {
  const dropdown = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  dropdown.setAttribute('name', name);
  for (const option of options) {
    const element = document.createElement('vscode-option') as HTMLElement & { value: string };
    element.setAttribute('value', option.value);
    element.textContent = option.label;
    if (option.value === selected) element.setAttribute('selected', '');
    dropdown.appendChild(element);
  }
  dropdown.addEventListener('change', () => onChange(dropdown.value));
  return labelled(label, dropdown, name);
}

export function textField(label: string, name: string, value: string, placeholder: string, onInput: (value: string) => void): Field {
  const field = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  field.setAttribute('name', name);
  field.setAttribute('value', value);
  field.setAttribute('placeholder', placeholder);
  field.addEventListener('input', () => onInput(field.value));
  return labelled(label, field, name);
}
