/**
 * The CC-Net dashboard webview: the active notebook kernel's datasets with their complexity,
 * the calibrations it can use, a constraint form that runs a compression (as a new cell of the
 * notebook), and the results table of its models. It only sees JSON the extension posts; its
 * state and the form's values survive hiding and reload through the webview state.
 */
import type { CompressForm, DashboardState, ExtensionToPanel, PanelToExtension } from '../../src/commands/dashboard-protocol';
import { NETWORK_TITLES } from '../../src/engine/models/titles';
import { effectiveForm } from './effective-form';
import { button, dataGrid, dropdownField, progressRing, textField, type Field } from './components';

interface SavedState {
  state: DashboardState;
  form: CompressForm;
  problems: Partial<Record<keyof CompressForm, string>>;
}

declare function acquireVsCodeApi(): { postMessage(message: PanelToExtension): void; getState(): unknown; setState(state: unknown): void };
const vscode = acquireVsCodeApi();

const EMPTY: DashboardState = { notebook: null, kernel: 'none', datasets: [], models: [], calibrations: [], queues: [], shipped: [], run: null };
const DEFAULT_FORM: CompressForm = { dataset: '', network: 'unet', constraint: 'accuracy', value: '0.9', bits: '', batch: '', calibration: '', epochs: '' };

const restored = vscode.getState() as Partial<SavedState> | undefined;
const saved: SavedState = { state: restored?.state ?? EMPTY, form: { ...DEFAULT_FORM, ...restored?.form }, problems: restored?.problems ?? {} };
const persist = () => vscode.setState(saved);

const number = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '' : Number(value.toPrecision(digits)).toString());

function section(title: string, ...children: (HTMLElement | string)[]): HTMLElement {
  const element = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = title;
  element.append(heading, ...children.map((c) => (typeof c === 'string' ? paragraph(c) : c)));
  return element;
}

function paragraph(text: string, className?: string): HTMLElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

/** The measures CC-Net uses (J for F1, B for IoU); the complexity cell shows all of them. */
const DASHBOARD_MEASURES = [
  { id: 'j', label: 'J (JPEG complexity)' },
  { id: 'b', label: 'B (blob density)' },
];

function datasetsSection(state: DashboardState): HTMLElement {
  if (state.datasets.length === 0) return section('Datasets', 'Run a cell with `dataset` or `synthetic` to see datasets here; `complexity NAME` adds their complexity.');
  return section(
    'Datasets',
    dataGrid(
      ['dataset', 'pairs', 'skipped', ...DASHBOARD_MEASURES.map((m) => m.label)],
      state.datasets.map((d) => [d.name, String(d.pairs), String(d.skipped), ...DASHBOARD_MEASURES.map((m) => (d.complexity[m.id] === undefined ? 'not measured' : d.complexity[m.id]!.toFixed(4)))]),
      'datasets',
    ),
  );
}

/** The runs of the calibrations running now: waiting, running (where, how far) and failed, with a stop button. */
function queueSection(state: DashboardState): HTMLElement | string {
  const queues = state.queues ?? [];
  if (queues.length === 0) return '';
  return section(
    'Calibration runs',
    ...queues.flatMap((q) => {
      const count = (s: string) => q.runs.filter((r) => r.state === s).length;
      return [
        paragraph(`${q.calibration}: ${q.done}/${q.total} runs done on ${q.on}; ${count('running')} running, ${count('waiting')} waiting, ${count('failed')} failed.`),
        dataGrid(['run', 'state', 'where', 'progress'], q.runs.map((r) => [r.label, r.state, r.where ?? '', r.detail ?? '']), `runs of ${q.calibration}`),
      ];
    }),
    button('Stop the runs', () => vscode.postMessage({ type: 'stopRuns' }), { secondary: true }),
    paragraph('Stopping interrupts the calibrating cell: finished runs stay in the calibration, and running it again trains only the rest.', 'hint'),
  );
}

function calibrationsSection(state: DashboardState): HTMLElement {
  const rows = [
    ...state.calibrations.map((c) => [c.name, c.network, c.datasets.join(', '), c.inputSize ? `${c.inputSize} px` : '', String(c.epochs), c.fitted ? 'fitted' : 'not fitted yet']),
    ...state.shipped.map((c) => [`shipped ${c.network}`, c.network, c.datasets.join(', '), `${c.inputSize} px`, String(c.epochs), `shipped (base width ${number(c.baseWidth)})`]),
  ];
  return section('Calibrations', dataGrid(['calibration', 'network', 'datasets', 'input', 'epochs', 'status'], rows, 'calibrations'), 'Without one of the session\'s, compress uses the shipped calibration of the network.');
}

function resultsSection(state: DashboardState): HTMLElement {
  if (state.models.length === 0) return section('Results', 'No models yet: train, compress, prune or quantize one.');
  return section(
    'Results',
    dataGrid(
      ['model', 'network', 'alpha', 'dataset', 'F1', 'IoU', '#params', 'ONNX file (MB)', 'latency (ms/image)'],
      state.models.map((m) => [m.name, m.network, number(m.alpha), m.dataset, number(m.f1), number(m.iou), m.params.toLocaleString('en-US'), number(m.sizeMB), number(m.latencyMs)]),
      'results',
    ),
  );
}

const UNIT_HINT: Record<CompressForm['constraint'], string> = {
  accuracy: 'relative F1 to keep, e.g. 0.9 (of the base network)',
  disk: 'disk budget in MB',
  memory: 'memory budget in MB (weights + activations)',
};

function formSection(state: DashboardState): HTMLElement {
  const form = saved.form;
  const shown = effectiveForm(form, state);
  const fields = new Map<keyof CompressForm, Field>();
  const update = (key: keyof CompressForm) => (value: string) => {
    (form as unknown as Record<string, string>)[key] = value;
    persist();
    if (key === 'constraint') render();
  };
  const add = (key: keyof CompressForm, field: Field) => {
    fields.set(key, field);
    field.setProblem(saved.problems[key]);
    return field.element;
  };
  if (state.datasets.length === 0) {
    return section('Compress', 'Define a dataset in the notebook first, or compress a dataset folder directly:', button('Compress a dataset folder...', () => vscode.postMessage({ type: 'compressFolder' }), { secondary: true }));
  }
  const grid = document.createElement('div');
  grid.className = 'form';
  grid.append(
    add('dataset', dropdownField('Dataset', 'dataset', state.datasets.map((d) => ({ value: d.name, label: d.name })), shown.dataset, update('dataset'))),
    add('network', dropdownField('Network', 'network', Object.entries(NETWORK_TITLES).map(([id, t]) => ({ value: id, label: t.displayName })), form.network, update('network'))),
    add('constraint', dropdownField('Constraint', 'constraint', [{ value: 'accuracy', label: 'accuracy (case 2)' }, { value: 'disk', label: 'disk size (case 1a)' }, { value: 'memory', label: 'memory (case 1b)' }], form.constraint, update('constraint'))),
    add('value', textField(form.constraint === 'accuracy' ? 'Keep at least' : 'Budget (MB)', 'value', form.value, UNIT_HINT[form.constraint], update('value'))),
  );
  if (form.constraint === 'disk') grid.append(add('bits', textField('Bits per weight', 'bits', form.bits, '32', update('bits'))));
  if (form.constraint === 'memory') grid.append(add('batch', textField('Batch size', 'batch', form.batch, '1', update('batch'))));
  grid.append(
    add('calibration', dropdownField('Calibration', 'calibration', [{ value: '', label: 'default (session, else shipped)' }, ...state.calibrations.map((c) => ({ value: c.name, label: `${c.name} (${c.network})` }))], shown.calibration, update('calibration'))),
    add('epochs', textField('Epochs', 'epochs', form.epochs, 'the calibration\'s', update('epochs'))),
  );
  const running = state.run?.status === 'running';
  const actions = document.createElement('div');
  actions.className = 'actions';
  actions.append(button('Compress', () => vscode.postMessage({ type: 'compress', form: effectiveForm(saved.form, saved.state) }), { disabled: running, id: 'compress' }));
  if (state.run) {
    const status = document.createElement('span');
    status.className = `run-status ${state.run.status}`;
    status.textContent = `${state.run.status === 'running' ? 'running' : state.run.status}: ${state.run.statement}${state.run.message ? ` (${state.run.message})` : ''}`;
    if (running) actions.append(progressRing());
    actions.append(status);
    for (const warning of state.run.warnings ?? []) {
      const line = document.createElement('div');
      line.className = 'run-warning';
      line.textContent = `warning: ${warning}`;
      actions.append(line);
    }
  }
  return section('Compress', 'Runs `compress` as a new cell of the notebook: selects the width from the calibration, trains it and the base network, and reports measured against predicted.', grid, actions);
}

/** Fixed slots: each render fills the others anew; the form's slot only when what it shows changed. */
const slots = { header: document.createElement('div'), queue: document.createElement('div'), datasets: document.createElement('div'), form: document.createElement('div'), results: document.createElement('div'), calibrations: document.createElement('div') };
document.getElementById('root')!.append(slots.header, slots.queue, slots.datasets, slots.form, slots.results, slots.calibrations);
let shownFormSignature: string | undefined;

function formSignature(state: DashboardState): string {
  return JSON.stringify({ datasets: state.datasets.map((d) => d.name), calibrations: state.calibrations.map((c) => c.name), run: state.run, problems: saved.problems, constraint: saved.form.constraint });
}

function render(): void {
  const state = saved.state;
  const header = document.createElement('div');
  header.className = 'header';
  const title = document.createElement('h2');
  title.textContent = state.notebook ? `CC-Net: ${state.notebook}` : 'CC-Net: no notebook is active';
  header.append(title, button('Refresh', () => vscode.postMessage({ type: 'refresh' }), { secondary: true }));
  const note = state.notebook && state.kernel === 'none' ? [paragraph('The notebook\'s kernel has not started: run its cells to fill the dashboard.', 'hint')] : [];
  slots.header.replaceChildren(header, ...note);
  slots.queue.replaceChildren(queueSection(state));
  slots.datasets.replaceChildren(datasetsSection(state));
  // rebuilding the form would drop the focus of a field being typed in, or a click in progress
  const signature = formSignature(state);
  if (signature !== shownFormSignature) {
    shownFormSignature = signature;
    slots.form.replaceChildren(formSection(state));
  }
  slots.results.replaceChildren(resultsSection(state));
  slots.calibrations.replaceChildren(calibrationsSection(state));
}

window.addEventListener('message', (event: MessageEvent<ExtensionToPanel>) => {
  const message = event.data;
  if (message.type === 'state') saved.state = message.state;
  else if (message.type === 'formProblems') saved.problems = message.problems;
  else return;
  persist();
  render();
});

const style = document.createElement('style');
style.textContent = `
  body { padding: 0 12px 24px; }
  .header { display: flex; align-items: center; gap: 12px; justify-content: space-between; }
  section { margin-top: 18px; }
  h3 { margin-bottom: 6px; }
  .form { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px 16px; margin: 8px 0; }
  .field { display: flex; flex-direction: column; gap: 4px; }
  .field vscode-dropdown, .field vscode-text-field { width: 100%; }
  .problem { color: var(--vscode-errorForeground); font-size: 0.9em; min-height: 1em; }
  .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; }
  .run-status.failed { color: var(--vscode-errorForeground); }
  .run-status.succeeded { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
  .run-warning { flex-basis: 100%; color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
  .hint { opacity: 0.8; }
  .grid-scroll { overflow-x: auto; max-width: 100%; }
  .grid-scroll vscode-data-grid { width: max-content; min-width: 100%; }
  vscode-data-grid-cell { white-space: nowrap; overflow-wrap: normal; word-break: keep-all; }
`;
document.head.appendChild(style);

render();
vscode.postMessage({ type: 'ready' });
