// Shared helpers of the diagram pages (not an entry point: the name starts with "_").

/** The JSON a page embeds in <script type="application/json" id="...">. */
export function pageData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** The CSRF token the base template puts in <meta name="csrf-token">. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : '';
}

export function text(tag, value, className) {
  const node = document.createElement(tag);
  node.textContent = value;
  if (className) node.className = className;
  return node;
}

/** Fit the diagram in its canvas once it is imported. */
export function fit(viewer) {
  const canvas = viewer.get('canvas');
  canvas.zoom('fit-viewport', 'auto');
}

export function showError(container, message) {
  container.replaceChildren(text('p', message, 'diagram-error'));
}

// Zoom onto the given elements (with their neighbours around them), never beyond 100 %.
export function focusOn(viewer, ids) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const shapes = ids.map((id) => registry.get(id)).filter((shape) => shape && shape.width);
  if (!shapes.length) return;
  const pad = 160;
  const left = Math.min(...shapes.map((s) => s.x)) - pad;
  const top = Math.min(...shapes.map((s) => s.y)) - pad;
  const right = Math.max(...shapes.map((s) => s.x + s.width)) + pad;
  const bottom = Math.max(...shapes.map((s) => s.y + s.height)) + pad;
  const outer = canvas.getSize();
  const ratio = outer.width / outer.height;
  let width = Math.max(right - left, outer.width * 0.25);
  let height = bottom - top;
  if (width / height < ratio) width = height * ratio; else height = width / ratio;
  if (width < outer.width) [width, height] = [outer.width, outer.height];
  const current = canvas.viewbox();
  if (width >= current.width) return; // the whole diagram is already as large as this
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  canvas.viewbox({ x: cx - width / 2, y: cy - height / 2, width, height });
}
