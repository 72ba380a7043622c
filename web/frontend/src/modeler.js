// The process-model editor: bpmn-js Modeler with the Camunda 7 properties panel, validation by the
// server (issues listed with their element, which is highlighted), deploy as a new version, download.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { csrfToken, fit, pageData, text } from './_common.js';

const config = pageData('modeler-config');
const status = document.getElementById('modeler-status');
const issuesList = document.getElementById('modeler-issues');
let marked = [];

const modeler = new BpmnModeler({
  container: '#modeler-canvas',
  propertiesPanel: { parent: '#modeler-properties' },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    CamundaPlatformPropertiesProviderModule,
    CamundaBehaviorsModule,
  ],
  moddleExtensions: { camunda: camundaModdle },
});

function say(message, kind = 'info') {
  status.className = `modeler-status status-${kind}`;
  status.textContent = message;
}

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

function showIssues(issues) {
  clearMarks();
  const registry = modeler.get('elementRegistry');
  issues.forEach((issue) => {
    const item = document.createElement('li');
    const where = issue.element_id ? `${config.labels.element} ${issue.element_id}` : config.labels.diagram;
    item.appendChild(text('strong', `${where}${issue.line ? ` (${config.labels.line} ${issue.line})` : ''}: `));
    item.appendChild(document.createTextNode(issue.message));
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

async function post(url, extraHeaders = {}) {
  const { xml } = await modeler.saveXML({ format: true });
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
  showIssues(result.issues || []);
  say(result.ok ? config.labels.valid : result.message, result.ok ? 'ok' : 'error');
  return result.ok;
}

async function deploy() {
  say(config.labels.deploying);
  const createRoles = document.getElementById('modeler-create-roles');
  const result = await post(config.deploy_url, createRoles && createRoles.checked ? { 'X-Create-Roles': '1' } : {});
  showIssues(result.issues || []);
  say(result.message, result.ok ? 'ok' : 'error');
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
open(config.xml);
