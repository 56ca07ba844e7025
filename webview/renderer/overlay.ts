/**
 * Segmentation overlays (paper Fig. 5): the image with truth, prediction and error layers
 * (true positives, false positives, false negatives) stacked, an opacity slider and toggles.
 * Data: application/vnd.ccnet.overlay+json, made by the kernel with sharp.
 */

export interface OverlayLayer {
  /** 'truth' | 'prediction' | 'errors' | any other layer name. */
  name: string;
  label: string;
  /** RGBA PNG, base64. */
  pngBase64: string;
  visible?: boolean;
}

export interface OverlayImage {
  title: string;
  widthPx: number;
  heightPx: number;
  /** The input image as PNG, base64. */
  imagePngBase64: string;
  layers: OverlayLayer[];
  metrics?: Record<string, number>;
}

export interface OverlayData {
  title?: string;
  images: OverlayImage[];
  /** Legend entries: colour (CSS) and meaning. */
  legend?: { color: string; label: string }[];
}

export function renderOverlay(data: OverlayData, element: HTMLElement): void {
  element.replaceChildren();
  const root = document.createElement('div');
  root.className = 'ccnet-overlay';
  root.innerHTML = `<style>
    .ccnet-overlay { font-family: var(--vscode-font-family); color: var(--vscode-editor-foreground); }
    .ccnet-overlay .controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 4px 0 8px; }
    .ccnet-overlay .grid { display: flex; gap: 12px; flex-wrap: wrap; }
    .ccnet-overlay figure { margin: 0; }
    .ccnet-overlay .stack { position: relative; }
    .ccnet-overlay .stack img { display: block; image-rendering: pixelated; }
    .ccnet-overlay .stack img.layer { position: absolute; left: 0; top: 0; }
    .ccnet-overlay figcaption { font-size: 11px; color: var(--vscode-descriptionForeground); max-width: 320px; }
    .ccnet-overlay .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border: 1px solid var(--vscode-editorWidget-border); }
  </style>`;
  if (data.title) {
    const title = document.createElement('div');
    title.textContent = data.title;
    title.style.fontWeight = '600';
    root.appendChild(title);
  }
  const controls = document.createElement('div');
  controls.className = 'controls';
  const opacityLabel = document.createElement('label');
  opacityLabel.textContent = 'opacity ';
  const opacity = document.createElement('input');
  opacity.type = 'range';
  opacity.min = '0';
  opacity.max = '100';
  opacity.value = '60';
  opacity.className = 'opacity';
  opacity.setAttribute('aria-label', 'overlay opacity');
  opacityLabel.appendChild(opacity);
  controls.appendChild(opacityLabel);

  const layerNames = [...new Map(data.images.flatMap((i) => i.layers.map((l) => [l.name, l] as const))).values()];
  const toggles = new Map<string, HTMLInputElement>();
  for (const layer of layerNames) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = layer.visible ?? true;
    box.dataset.layer = layer.name;
    label.append(box, ` ${layer.label}`);
    controls.appendChild(label);
    toggles.set(layer.name, box);
  }
  for (const entry of data.legend ?? []) {
    const item = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = entry.color;
    item.append(swatch, entry.label);
    controls.appendChild(item);
  }
  root.appendChild(controls);

  const grid = document.createElement('div');
  grid.className = 'grid';
  const layerImages: HTMLImageElement[] = [];
  for (const image of data.images) {
    const figure = document.createElement('figure');
    const stack = document.createElement('div');
    stack.className = 'stack';
    const displayWidth = Math.min(320, image.widthPx);
    const base = document.createElement('img');
    base.src = `data:image/png;base64,${image.imagePngBase64}`;
    base.width = displayWidth;
    base.alt = image.title;
    stack.appendChild(base);
    for (const layer of image.layers) {
      const img = document.createElement('img');
      img.className = 'layer';
      img.src = `data:image/png;base64,${layer.pngBase64}`;
      img.width = displayWidth;
      img.dataset.layer = layer.name;
      img.alt = `${image.title} ${layer.label}`;
      stack.appendChild(img);
      layerImages.push(img);
    }
    const caption = document.createElement('figcaption');
    const metrics = image.metrics ? Object.entries(image.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' · ') : '';
    caption.textContent = metrics ? `${image.title} — ${metrics}` : image.title;
    figure.append(stack, caption);
    grid.appendChild(figure);
  }
  root.appendChild(grid);
  element.appendChild(root);

  const update = () => {
    for (const img of layerImages) {
      const visible = toggles.get(img.dataset.layer ?? '')?.checked ?? true;
      img.style.opacity = visible ? String(Number(opacity.value) / 100) : '0';
    }
  };
  opacity.addEventListener('input', update);
  for (const box of toggles.values()) box.addEventListener('change', update);
  update();
}
