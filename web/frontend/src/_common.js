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
