// The "Laksana" group of the properties panel: a step's SOP columns as the office says them
// (waktu baku, peran, nomor langkah SOP, kelengkapan, output), written where the engine reads
// them (camunda:properties, camunda:candidateGroups). Changing the waktu baku moves the step's
// escalation timers that were set to the old waktu baku. Form fields are listed by their label.
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { jsx } from '@bpmn-io/properties-panel/preact/jsx-runtime';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

const LOW_PRIORITY = 400;
const STANDARD_MINUTES = 'standard_minutes';
/** A timer expression counting minutes: office minutes or an ISO duration (as the engine reads). */
const MINUTE_TIMERS = [
  (minutes) => new RegExp(`office_minutes_from_now\\(\\s*${minutes}\\s*\\)`),
  (minutes) => new RegExp(`PT${minutes}M`),
];
const HUMAN_TASKS = ['bpmn:UserTask', 'bpmn:ManualTask'];

function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

function propertiesOf(bo) {
  const extensions = bo.get('extensionElements');
  return extensions && extensions.get('values').find((value) => is(value, 'camunda:Properties'));
}

/** The value of the step's camunda:property ``name`` ('' when it has none). */
export function getProperty(element, name) {
  const properties = propertiesOf(getBusinessObject(element));
  const found = properties && properties.get('values').find((p) => p.get('name') === name);
  return (found && found.get('value')) || '';
}

/** The commands that set (or, for an empty value, remove) the camunda:property ``name``. */
function propertyCommands(element, name, value, bpmnFactory) {
  const bo = getBusinessObject(element);
  const commands = [];
  let extensions = bo.get('extensionElements');
  if (!extensions) {
    extensions = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensions.$parent = bo;
    commands.push(update(element, bo, { extensionElements: extensions }));
  }
  let properties = propertiesOf(bo);
  if (!properties) {
    properties = bpmnFactory.create('camunda:Properties', { values: [] });
    properties.$parent = extensions;
    commands.push(update(element, extensions, { values: [...extensions.get('values'), properties] }));
  }
  const values = properties.get('values');
  const existing = values.find((p) => p.get('name') === name);
  if (existing && value) {
    commands.push(update(element, existing, { value }));
  } else if (existing) {
    commands.push(update(element, properties, { values: values.filter((p) => p !== existing) }));
  } else if (value) {
    const property = bpmnFactory.create('camunda:Property', { name, value });
    property.$parent = properties;
    commands.push(update(element, properties, { values: [...values, property] }));
  }
  return commands;
}

/** Commands moving the step's boundary timers (and their "… N menit" names) from old to new. */
export function timerCommands(element, oldMinutes, newMinutes) {
  if (!/^\d+$/.test(oldMinutes) || !/^\d+$/.test(newMinutes) || oldMinutes === newMinutes) return [];
  const commands = [];
  (element.attachers || []).forEach((attacher) => {
    const bo = getBusinessObject(attacher);
    const timer = (bo.get('eventDefinitions') || []).find((d) => is(d, 'bpmn:TimerEventDefinition'));
    if (!timer) return;
    let moved = false;
    ['timeDate', 'timeDuration', 'timeCycle'].forEach((key) => {
      const expression = timer.get(key);
      const body = expression && expression.get('body');
      if (!body) return;
      const pattern = MINUTE_TIMERS.map((make) => make(oldMinutes)).find((p) => p.test(body));
      if (!pattern) return;
      const replaced = body.replace(pattern, (found) => found.replace(oldMinutes, newMinutes));
      commands.push(update(attacher, expression, { body: replaced }));
      moved = true;
    });
    const name = bo.get('name') || '';
    const named = new RegExp(`\\b${oldMinutes}(\\s*menit)`);
    if (moved && named.test(name)) {
      commands.push({
        cmd: 'element.updateLabel',
        context: { element: attacher, newLabel: name.replace(named, `${newMinutes}$1`) },
      });
    }
  });
  return commands;
}

function PropertyEntry(props) {
  const { element, id, name, label, description, check, onChanged } = props;
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const setValue = (value) => {
    const text = (value || '').trim();
    const before = getProperty(element, name);
    const commands = propertyCommands(element, name, text, bpmnFactory);
    const extra = onChanged ? onChanged(element, before, text) : [];
    if (commands.length || extra.length) {
      commandStack.execute('properties-panel.multi-command-executor', [...commands, ...extra]);
    }
  };
  return jsx(TextFieldEntry, {
    element, id, label, description, debounce, setValue, validate: check, getValue: () => getProperty(element, name),
  });
}

function RoleEntry(props) {
  const { element, id, labels, roles } = props;
  const modeling = useService('modeling');
  const getValue = () => getBusinessObject(element).get('camunda:candidateGroups') || '';
  const getOptions = () => {
    const current = getValue();
    const options = [{ value: '', label: labels.role_none }];
    roles.forEach((role) => options.push({ value: role.code, label: `${role.name} (${role.code})` }));
    if (current && !roles.some((role) => role.code === current)) options.push({ value: current, label: current });
    return options;
  };
  const setValue = (value) => modeling.updateProperties(element, { 'camunda:candidateGroups': value || undefined });
  return jsx(SelectEntry, { element, id, label: labels.role, description: labels.role_help, getValue, setValue, getOptions });
}

function laksanaGroup(element, settings) {
  const { labels, roles, onTimersFollowed } = settings;
  const minutes = (value) => (!value || /^\d+$/.test(value.trim()) ? null : labels.not_a_number);
  const followTimers = (task, before, after) => {
    const commands = timerCommands(task, before, after);
    if (commands.length && onTimersFollowed) onTimersFollowed(task, after);
    return commands;
  };
  const text = (key, name, extra = {}) => ({
    id: `laksana-${key}`, component: PropertyEntry, isEdited: isTextFieldEntryEdited, element, name, label: labels[key], ...extra,
  });
  const entries = [
    text('standard_minutes', STANDARD_MINUTES, { description: labels.standard_minutes_help, check: minutes, onChanged: followTimers }),
  ];
  if (HUMAN_TASKS.some((type) => is(element, type))) {
    entries.push({ id: 'laksana-role', component: RoleEntry, isEdited: isSelectEntryEdited, element, labels, roles });
  }
  entries.push(text('sop_step', 'sop_step'), text('inputs', 'inputs'), text('output', 'output'));
  return { id: 'laksana', label: labels.group, entries };
}

/** The form-field list names each field by its label (its id when it has none). */
function labelFormFields(groups, element) {
  const list = groups.find((group) => group.id === 'CamundaPlatform__FormData');
  if (!list || !list.items) return;
  const bo = getBusinessObject(element);
  const extensions = bo.get('extensionElements');
  const formData = extensions && extensions.get('values').find((value) => is(value, 'camunda:FormData'));
  const fields = (formData && formData.get('fields')) || [];
  list.items.forEach((item, index) => {
    const field = fields[index];
    if (field && field.get('label')) item.label = field.get('label');
  });
}

/** A bpmn-js module: the provider, given the labels, the roles and what to do when timers move. */
export function laksanaPanelModule(settings) {
  function LaksanaPropertiesProvider(propertiesPanel) {
    this.getGroups = (element) => (groups) => {
      if (is(element, 'bpmn:Task')) {
        const general = groups.findIndex((group) => group.id === 'general');
        groups.splice(general + 1, 0, laksanaGroup(element, settings));
      }
      labelFormFields(groups, element);
      return groups;
    };
    propertiesPanel.registerProvider(LOW_PRIORITY, this); // after getGroups: the panel checks it
  }
  LaksanaPropertiesProvider.$inject = ['propertiesPanel'];
  return { __init__: ['laksanaPropertiesProvider'], laksanaPropertiesProvider: ['type', LaksanaPropertiesProvider] };
}
