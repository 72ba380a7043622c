// The step between "Terapkan" and the deploy: what changes from the deployed version (both
// diagrams side by side, changes coloured as on the version-diff page, and the list of changed
// steps with their form fields and standard times), the validation warnings, and the change note
// the deploy requires.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { fit, focusOn, text } from './_common.js';

const KINDS = ['added', 'removed', 'changed'];

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

async function showDiagram(container, xml, markers, focus) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  fit(viewer);
  focusOn(viewer, focus); // both sides zoom onto the same changed steps
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  Object.entries(markers).forEach(([css, ids]) => ids.forEach((id) => registry.get(id) && canvas.addMarker(id, css)));
  return viewer;
}

function changeTable(change, labels) {
  const table = document.createElement('table');
  table.className = 'diff-table';
  const head = document.createElement('tr');
  [labels.change, labels.step, labels.what].forEach((word) => head.appendChild(text('th', word)));
  table.appendChild(document.createElement('thead')).appendChild(head);
  const body = table.appendChild(document.createElement('tbody'));
  KINDS.forEach((kind) => change[kind].forEach((step) => {
    const row = body.appendChild(document.createElement('tr'));
    row.className = `diff-${kind}`;
    row.appendChild(document.createElement('td')).appendChild(text('span', labels[kind], `diff-tag diff-tag-${kind}`));
    const cell = row.appendChild(text('td', step.name || step.element_id));
    cell.appendChild(text('div', step.element_id, 'small muted'));
    const what = row.appendChild(document.createElement('td'));
    const list = what.appendChild(document.createElement('ul'));
    list.className = 'plain';
    (step.what || []).forEach((line) => list.appendChild(text('li', line)));
  }));
  if (!body.children.length) {
    const row = body.appendChild(document.createElement('tr'));
    const cell = row.appendChild(text('td', labels.no_changes));
    cell.colSpan = 3;
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.appendChild(table);
  return wrap;
}

function diagramPair(change, newXml, labels) {
  const pair = document.createElement('div');
  pair.className = 'diff-diagrams';
  const figure = (caption, id) => {
    const node = pair.appendChild(document.createElement('figure'));
    node.appendChild(text('figcaption', caption));
    const canvas = node.appendChild(document.createElement('div'));
    canvas.className = 'diagram diagram-half';
    canvas.id = id;
    return canvas;
  };
  const oldCanvas = figure(format(labels.old_caption, { v: change.old_version }), `deploy-old-${change.process_id}`);
  const newCanvas = figure(labels.new_caption, `deploy-new-${change.process_id}`);
  const ids = (kind) => change[kind].map((step) => step.element_id);
  const focus = [...ids('added'), ...ids('removed'), ...ids('changed')];
  const drawn = Promise.all([
    showDiagram(oldCanvas, change.old_xml, { 'lk-diff-removed': ids('removed'), 'lk-diff-changed': ids('changed') }, focus),
    showDiagram(newCanvas, newXml, { 'lk-diff-added': ids('added'), 'lk-diff-changed': ids('changed') }, focus),
  ]);
  return { pair, drawn };
}

function warningList(warnings, labels) {
  const list = document.createElement('ul');
  list.className = 'issues';
  warnings.forEach((warning) => {
    const item = list.appendChild(text('li', warning.message));
    const detail = [warning.element_id, warning.line ? `${labels.line} ${warning.line}` : ''].filter(Boolean).join(' · ');
    if (detail) item.appendChild(text('span', ` (${detail})`, 'small muted'));
  });
  return list;
}

/**
 * Open the dialog for a preview (the server's answer) and the editor's XML; resolves with the
 * note when the analyst confirms, or null when they cancel.
 */
export function askToDeploy(preview, newXml, labels) {
  const dialog = document.getElementById('deploy-dialog');
  const content = document.getElementById('deploy-changes');
  const note = document.getElementById('deploy-note');
  const noteError = document.getElementById('deploy-note-error');
  content.replaceChildren();
  dialog.showModal(); // first: the diagrams are fitted to canvases that have their size
  noteError.hidden = true;
  note.removeAttribute('aria-invalid');
  if (preview.warnings && preview.warnings.length) {
    const box = content.appendChild(document.createElement('div'));
    box.className = 'notice notice-warn';
    box.appendChild(text('strong', labels.warnings_title));
    box.appendChild(warningList(preview.warnings, labels));
  }
  const drawings = [];
  if (!preview.changes || !preview.changes.length) content.appendChild(text('p', labels.first_version));
  (preview.changes || []).forEach((change) => {
    const title = format(labels.compare_title, { old: change.old_version, new: change.new_version });
    content.appendChild(text('h3', `${change.name || change.process_id} · ${title}`));
    const legend = content.appendChild(document.createElement('div'));
    legend.className = 'legend';
    KINDS.forEach((kind) => legend.appendChild(text('span', labels[kind], `l-${kind}`)));
    const { pair, drawn } = diagramPair(change, newXml, labels);
    content.appendChild(pair);
    content.appendChild(changeTable(change, labels));
    drawings.push(drawn);
  });
  Promise.all(drawings).finally(() => { dialog.dataset.ready = 'true'; });
  return new Promise((resolve) => {
    const confirm = document.getElementById('deploy-confirm');
    const cancel = document.getElementById('deploy-cancel');
    const finish = (value) => {
      confirm.removeEventListener('click', onConfirm);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      delete dialog.dataset.ready;
      dialog.close();
      resolve(value);
    };
    function onConfirm() {
      const written = note.value.trim();
      if (!written) {
        noteError.textContent = labels.note_required;
        noteError.hidden = false;
        note.setAttribute('aria-invalid', 'true');
        note.focus();
        return;
      }
      finish(written);
    }
    function onCancel(event) {
      if (event) event.preventDefault();
      finish(null);
    }
    confirm.addEventListener('click', onConfirm);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
  });
}
