// The process-model editor: bpmn-js Modeler with the Camunda 7 properties panel (in the page's
// language, with the Laksana group of a step's SOP columns), validation by the server (issues
// listed by the element's name, which is highlighted), deploy as a new version after a look at
// what changes and a change note, download.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { csrfToken, fit, pageData, text } from './_common.js';
import { askToDeploy } from './_deploy_dialog.js';
import { laksanaPanelModule } from './_laksana_panel.js';
import { translateModule } from './_translate_id.js';

const config = pageData('modeler-config');
const status = document.getElementById('modeler-status');
const issuesList = document.getElementById('modeler-issues');
let marked = [];
/** The active roles for the Laksana group's peran (filled from the server before the diagram opens). */
const roles = [];

function say(message, kind = 'info') {
  status.className = `modeler-status status-${kind}`;
  status.textContent = message;
}

// called before the timers move (in the same command): say it once they have their new names
function timersFollowed(task, minutes) {
  setTimeout(() => {
    const names = (task.attachers || []).map((a) => a.businessObject.name || a.id).join(', ');
    say(config.laksana.timer_followed.replace('%(timers)s', names).replace('%(minutes)s', minutes), 'ok');
  }, 0);
}

const modeler = new BpmnModeler({
  container: '#modeler-canvas',
  propertiesPanel: { parent: '#modeler-properties' },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    CamundaPlatformPropertiesProviderModule,
    CamundaBehaviorsModule,
    translateModule(config.language),
    laksanaPanelModule({ labels: config.laksana, roles, onTimersFollowed: timersFollowed }),
  ],
  moddleExtensions: { camunda: camundaModdle },
});

function clearMarks() {
  const canvas = modeler.get('canvas');
  marked.forEach((id) => canvas.removeMarker(id, 'lk-invalid'));
  marked = [];
  issuesList.replaceChildren();
}

function focusElement(id) {
  const element = modeler.get('elementRegistry').get(id);
  if (!element) return;
  modeler.get('selection').select(element);
  modeler.get('canvas').scrollToElement(element);
}

// the message names the element (kind, name and id); the id and line follow as detail
function issueItem(issue, kind) {
  const item = text('li', '', kind === 'warning' ? 'issue-warning' : '');
  if (kind === 'warning') item.appendChild(text('strong', `${config.labels.warning}: `));
  item.appendChild(document.createTextNode(issue.message));
  const detail = [issue.element_id ? `${config.labels.element} ${issue.element_id}` : '', issue.line ? `${config.labels.line} ${issue.line}` : '']
    .filter(Boolean).join(' · ');
  if (detail) item.appendChild(text('span', ` (${detail})`, 'small muted'));
  return item;
}

function showIssues(issues, warnings = []) {
  clearMarks();
  const registry = modeler.get('elementRegistry');
  [...issues.map((i) => [i, 'issue']), ...warnings.map((w) => [w, 'warning'])].forEach(([issue, kind]) => {
    const item = issueItem(issue, kind);
    if (issue.element_id && registry.get(issue.element_id)) {
      modeler.get('canvas').addMarker(issue.element_id, 'lk-invalid');
      marked.push(issue.element_id);
      const show = text('button', config.labels.show, 'link-button');
      show.type = 'button';
      show.addEventListener('click', () => focusElement(issue.element_id));
      item.appendChild(show);
    }
    issuesList.appendChild(item);
  });
}

async function post(url, extraHeaders = {}, diagram = null) {
  const xml = diagram || (await modeler.saveXML({ format: true })).xml;
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/xml', 'X-CSRFToken': csrfToken(), 'X-Filename': config.filename, ...extraHeaders },
    body: xml,
  });
  const body = await response.json().catch(() => ({ ok: false, message: response.statusText, issues: [] }));
  return body;
}

async function validate() {
  say(config.labels.validating);
  const result = await post(config.validate_url);
  showIssues(result.issues || [], result.warnings || []);
  say(result.message, result.ok ? 'ok' : 'error');
  return result.ok;
}

// Deploy: the server checks the diagram and says what changes; the analyst confirms with a note.
async function deploy() {
  say(config.labels.previewing);
  const { xml } = await modeler.saveXML({ format: true });
  const preview = await post(config.preview_url, {}, xml);
  showIssues(preview.issues || [], preview.warnings || []);
  if (!preview.ok) {
    say(preview.message, 'error');
    return;
  }
  say('');
  const note = await askToDeploy(preview, xml, config.labels);
  if (note === null) return;
  say(config.labels.deploying);
  const createRoles = document.getElementById('modeler-create-roles');
  const headers = { 'X-Change-Note': encodeURIComponent(note) };
  if (createRoles && createRoles.checked) headers['X-Create-Roles'] = '1';
  const result = await post(config.deploy_url, headers, xml);
  showIssues(result.issues || [], result.warnings || []);
  say(result.message, result.ok ? 'ok' : 'error');
}

async function loadRoles() {
  try {
    const response = await fetch(config.roles_url, { credentials: 'same-origin' });
    const body = await response.json();
    roles.push(...(body.roles || []));
  } catch (error) {
    // the peran list stays empty: the lane's role still applies and validation names unknown ones
  }
}

async function download() {
  const { xml } = await modeler.saveXML({ format: true });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  link.download = config.filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

async function open(xml) {
  clearMarks();
  try {
    await modeler.importXML(xml);
    fit(modeler);
    say(config.labels.loaded, 'ok');
  } catch (error) {
    say(`${config.labels.failed}: ${error.message}`, 'error');
  }
  document.getElementById('modeler-canvas').dataset.ready = 'true';
}

function readFile(event) {
  const file = event.target.files[0];
  if (!file) return;
  if (file.size > config.max_bytes) {
    say(config.labels.too_big, 'error');
    return;
  }
  config.filename = file.name;
  file.text().then(open);
}

document.getElementById('modeler-validate').addEventListener('click', validate);
document.getElementById('modeler-deploy').addEventListener('click', deploy);
document.getElementById('modeler-download').addEventListener('click', download);
document.getElementById('modeler-file').addEventListener('change', readFile);
window.laksanaModeler = modeler;
loadRoles().then(() => open(config.xml));
