/**
 * CC-Net Studio's notebook renderer: Vega-Lite plots and segmentation overlays.
 * All outputs share one webview, so everything is scoped to the output's own element.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import type { Result } from 'vega-embed';
import { renderOverlay, type OverlayData } from './overlay';
import { renderVegaLite } from './vega';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
export const OVERLAY_MIME = 'application/vnd.ccnet.overlay+json';

export const activate: ActivationFunction = () => {
  const views = new Map<string, Result>();
  const disposeView = (id: string) => {
    views.get(id)?.finalize();
    views.delete(id);
  };
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
      try {
        if (item.mime === VEGA_LITE_MIME) {
          disposeView(item.id);
          const view = await renderVegaLite(item.json(), element);
          if (signal.aborted) view.finalize();
          else views.set(item.id, view);
        } else if (item.mime === OVERLAY_MIME) {
          renderOverlay(item.json() as OverlayData, element);
        } else {
          throw new Error(`CC-Net renderer cannot show ${item.mime}`);
        }
      } catch (error) {
        showError(element, item.mime, error);
      }
    },
    disposeOutputItem(id?: string) {
      if (id) disposeView(id);
      else for (const key of [...views.keys()]) disposeView(key);
    },
  };
};

function showError(element: HTMLElement, mime: string, error: unknown): void {
  const box = document.createElement('pre');
  box.className = 'ccnet-render-error';
  box.style.color = 'var(--vscode-errorForeground)';
  box.style.whiteSpace = 'pre-wrap';
  box.textContent = `Could not draw this ${mime} output: ${error instanceof Error ? error.message : String(error)}`;
  element.replaceChildren(box);
}
