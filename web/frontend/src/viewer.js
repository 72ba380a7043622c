// Read-only diagrams: a definition version, an instance's path (completed/active elements,
// flows taken, history per element), the dashboard's duration heat map and the version diff
// (``markers``: {css class: [element ids]}, e.g. added/removed/changed steps).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { fit, pageData, showError, text } from './_common.js';

function markInstance(viewer, states) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const mark = (ids, css) => ids.forEach((id) => registry.get(id) && canvas.addMarker(id, css));
  mark(states.completed || [], 'lk-completed');
  mark(states.active || [], 'lk-active');
  mark(states.flows || [], 'lk-flow-taken');
}

function markElements(viewer, markers) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  Object.entries(markers).forEach(([css, ids]) => {
    if (!/^lk-[a-z0-9-]+$/.test(css)) return; // only the page's own classes
    (ids || []).forEach((id) => registry.get(id) && canvas.addMarker(id, css));
  });
}

// Zoom onto the given elements (with their neighbours around them), never beyond 100 %.
function focusOn(viewer, ids) {
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

function historyPanel(viewer, panel, history, labels) {
  const eventBus = viewer.get('eventBus');
  eventBus.on('element.click', ({ element }) => {
    const entries = history[element.id] || [];
    const name = (element.businessObject && element.businessObject.name) || element.id;
    const list = document.createElement('ul');
    entries.forEach((entry) => list.appendChild(text('li', `${entry.at} · ${entry.action} · ${entry.actor || labels.system}`)));
    panel.replaceChildren(text('h3', name));
    panel.appendChild(entries.length ? list : text('p', labels.empty));
    panel.hidden = false;
  });
}

function heatOverlays(viewer, heat) {
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  Object.entries(heat).forEach(([id, cell]) => {
    if (!registry.get(id)) return;
    // label and title come in words from the server (web/dashboard_view.py): "20 detik / 5 menit"
    const badge = text('div', cell.label, `lk-heat lk-heat-${cell.level}`);
    badge.title = cell.title;
    overlays.add(id, { position: { bottom: 8, left: 0 }, html: badge });
    viewer.get('canvas').addMarker(id, `lk-heat-${cell.level}`);
  });
}

async function mount(container) {
  const config = pageData(container.dataset.config);
  const viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(config.xml);
  } catch (error) {
    showError(container, `${config.labels.failed}: ${error.message}`);
    return;
  }
  fit(viewer);
  if (config.states) markInstance(viewer, config.states);
  if (config.markers) markElements(viewer, config.markers);
  if (config.focus) focusOn(viewer, config.focus);
  if (config.history) historyPanel(viewer, document.getElementById(config.panel), config.history, config.labels);
  if (config.heat) heatOverlays(viewer, config.heat);
  // a diagram folded in <details> had no size when it was drawn: fit it when it is opened
  const fold = container.closest('details');
  if (fold) fold.addEventListener('toggle', () => { if (fold.open) { viewer.get('canvas').resized(); fit(viewer); } });
  container.dataset.ready = 'true';
}

document.querySelectorAll('[data-bpmn-viewer]').forEach((container) => mount(container));
