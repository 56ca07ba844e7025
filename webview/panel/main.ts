/**
 * The CC-Net dashboard: the datasets of the active notebook's kernel with their complexity.
 * It only sees JSON the extension posts; its state survives hiding through vscode.setState.
 */
import { button, dataGrid } from './components';

interface DashboardState {
  notebook: string | null;
  datasets: { name: string; pairs: number; skipped: number; complexity: Record<string, number> }[];
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
const vscode = acquireVsCodeApi();

function render(state: DashboardState): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = state.notebook ? `Datasets in ${state.notebook}` : 'No CC-Net notebook is active';
  root.appendChild(heading);
  root.appendChild(button('Refresh', () => vscode.postMessage({ type: 'refresh' })));
  if (state.datasets.length === 0) {
    const empty = document.createElement('p');
    empty.textContent = 'Run a cell with `dataset` or `synthetic` to see datasets here.';
    root.appendChild(empty);
    return;
  }
  const measureIds = [...new Set(state.datasets.flatMap((d) => Object.keys(d.complexity)))].sort();
  root.appendChild(
    dataGrid(
      ['dataset', 'pairs', 'skipped', ...measureIds.map((id) => `${id} (mean)`)],
      state.datasets.map((d) => [d.name, String(d.pairs), String(d.skipped), ...measureIds.map((id) => (d.complexity[id] === undefined ? '' : d.complexity[id]!.toFixed(4)))]),
      'datasets',
    ),
  );
}

window.addEventListener('message', (event: MessageEvent<{ type: string; state?: DashboardState }>) => {
  if (event.data.type === 'state' && event.data.state) {
    vscode.setState(event.data.state);
    render(event.data.state);
  }
});

const saved = vscode.getState() as DashboardState | undefined;
render(saved ?? { notebook: null, datasets: [] });
vscode.postMessage({ type: 'ready' });
