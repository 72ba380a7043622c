// Read-only diagrams: a definition version, an instance's path (completed/active elements,
// flows taken, history per element), the dashboard's duration heat map and the version diff
// (``markers``: {css class: [element ids]}, e.g. added/removed/changed steps).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { fit, focusOn, pageData, showError, text } from './_common.js';

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
