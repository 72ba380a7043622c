// The decision-table editor: a deployed .dmn in dmn-js, checked by the server as `laksana deploy`
// checks it, deployed with the process's latest diagram after a change note. Cells are Python
// expressions (engine.decisions), not FEEL.
import DmnModeler from 'dmn-js/lib/Modeler';
import { csrfToken, pageData, text } from './_common.js';
import { translateModule } from './_translate_id.js';

const config = pageData('dmn-config');
const status = document.getElementById('dmn-status');
const issuesList = document.getElementById('dmn-issues');
// each view gets the translation (dmn-js replaces `common.additionalModules` with the view's own)
const translated = { additionalModules: [translateModule(config.language)] };
const modeler = new DmnModeler({ container: '#dmn-canvas', drd: translated, decisionTable: translated });

function say(message, kind = 'info') {
  status.className = `modeler-status status-${kind}`;
  status.textContent = message;
}

function showIssues(issues, warnings = []) {
  issuesList.replaceChildren();
  [...issues, ...warnings].forEach((issue) => {
    const item = issuesList.appendChild(text('li', issue.message));
    const detail = [issue.element_id ? `${config.labels.element} ${issue.element_id}` : '', issue.line ? `${config.labels.line} ${issue.line}` : '']
      .filter(Boolean).join(' · ');
    if (detail) item.appendChild(text('span', ` (${detail})`, 'small muted'));
  });
}

async function post(url, headers = {}) {
  const { xml } = await modeler.saveXML({ format: true });
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/xml', 'X-CSRFToken': csrfToken(), 'X-Filename': config.filename, ...headers },
    body: xml,
  });
  return response.json().catch(() => ({ ok: false, message: response.statusText, issues: [] }));
}

async function validate() {
  say(config.labels.validating);
  const result = await post(config.validate_url);
  showIssues(result.issues || [], result.warnings || []);
  say(result.message, result.ok ? 'ok' : 'error');
}

async function deploy() {
  const note = document.getElementById('dmn-note');
  const noteError = document.getElementById('dmn-note-error');
  if (!note.value.trim()) {
    noteError.textContent = config.labels.note_required;
    noteError.hidden = false;
    note.setAttribute('aria-invalid', 'true');
    note.focus();
    return;
  }
  noteError.hidden = true;
  note.removeAttribute('aria-invalid');
  say(config.labels.deploying);
  const result = await post(config.deploy_url, { 'X-Change-Note': encodeURIComponent(note.value.trim()) });
  showIssues(result.issues || [], result.warnings || []);
  say(result.message, result.ok ? 'ok' : 'error');
}

async function open() {
  try {
    await modeler.importXML(config.xml);
    const table = modeler.getViews().find((view) => view.type === 'decisionTable');
    if (table) await modeler.open(table);
    say(config.labels.loaded, 'ok');
  } catch (error) {
    say(`${config.labels.failed}: ${error.message}`, 'error');
  }
  document.getElementById('dmn-canvas').dataset.ready = 'true';
}

document.getElementById('dmn-validate').addEventListener('click', validate);
document.getElementById('dmn-deploy').addEventListener('click', deploy);
window.laksanaDmnModeler = modeler;
open();
