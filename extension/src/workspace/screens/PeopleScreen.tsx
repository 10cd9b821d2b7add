import { RoleSchema } from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { compact, ErrorSummary, Notice, RightsNote, SelectInput, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';

const BLANK_DEPT = { id: '', name: '', managerId: '', upLineManagerId: '', parentId: '' };
const BLANK_PERSON = { id: '', name: '', email: '', role: 'staff', departmentId: '' };

/** People and departments: the organisation and its business objectives, departments (manager, up-line manager), people. */
export function PeopleScreen(): JSX.Element {
  const { data, snap, reload, focusId, may } = useWorkspace();
  const allowed = may({ kind: 'people', type: 'create', fields: [] });
  const [orgName, setOrgName] = useState(snap.organisation.name);
  const [objective, setObjective] = useState('');
  const [orgErrors, setOrgErrors] = useState<ErrorsByPath>({});
  const [dept, setDept] = useState(BLANK_DEPT);
  const [deptErrors, setDeptErrors] = useState<ErrorsByPath>({});
  const [person, setPerson] = useState(BLANK_PERSON);
  const [personErrors, setPersonErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  // A plan-check link ("Fix this") names a department or a person: open it in its form.
  useEffect(() => {
    const d = snap.departments.find((x) => x.id === focusId);
    const p = snap.people.find((x) => x.id === focusId);
    if (d !== undefined) setDept({ ...BLANK_DEPT, ...compact({ ...d }) } as typeof BLANK_DEPT);
    if (p !== undefined) setPerson({ ...BLANK_PERSON, ...compact({ ...p }) } as typeof BLANK_PERSON);
    // Only a new link loads a form; later reloads must not undo the user's edits.
  }, [focusId]);
  const people = snap.people.map((p) => [p.id, p.name] as const);
  const name = (id: string | undefined): string => snap.people.find((p) => p.id === id)?.name ?? '—';

  const saveOrg = async (e: Event): Promise<void> => {
    e.preventDefault();
    const objectives = [...snap.organisation.businessObjectives];
    if (objective.trim() !== '') objectives.push({ id: crypto.randomUUID(), name: objective });
    const r = await data.saveOrganisation({ name: orgName, businessObjectives: objectives });
    setOrgErrors(r.ok ? {} : errorsByPath(r.errors));
    setNotice(
      r.ok
        ? { kind: 'ok', text: 'Organisation saved.' }
        : { kind: 'error', text: 'The organisation was not saved: see what to fix at the top of the form.' },
    );
    if (r.ok) {
      setObjective('');
      await reload();
    }
  };
  const saveDept = async (e: Event): Promise<void> => {
    e.preventDefault();
    const r = await data.save('departments', compact({ ...dept, id: dept.id || crypto.randomUUID() }));
    setDeptErrors(r.ok ? {} : errorsByPath(r.errors));
    setNotice(
      r.ok
        ? { kind: 'ok', text: `Saved department “${r.value.name}”.` }
        : { kind: 'error', text: 'The department was not saved: see what to fix at the top of the form.' },
    );
    if (r.ok) {
      setDept(BLANK_DEPT);
      await reload();
    }
  };
  const savePerson = async (e: Event): Promise<void> => {
    e.preventDefault();
    const stored = snap.people.find((p) => p.id === person.id);
    const r = await data.save('people', {
      ...(stored ?? {}),
      ...compact({ ...person, id: person.id || crypto.randomUUID() }),
    });
    setPersonErrors(r.ok ? {} : errorsByPath(r.errors));
    setNotice(
      r.ok
        ? { kind: 'ok', text: `Saved ${r.value.name}.` }
        : { kind: 'error', text: 'The person was not saved: see what to fix at the top of the form.' },
    );
    if (r.ok) {
      setPerson(BLANK_PERSON);
      await reload();
    }
  };

  return (
    <div>
      <Notice notice={notice} />
      <div class="two-col">
        <section aria-labelledby="org-title">
          <h2 id="org-title">Organisation</h2>
          <RightsNote permission={allowed} />
          <form onSubmit={(e) => void saveOrg(e)} aria-label="Organisation" noValidate>
            <ErrorSummary errors={orgErrors} />
            <TextInput
              label="Organisation name"
              path="name"
              errors={orgErrors}
              value={orgName}
              onValue={setOrgName}
            />
            <ul>
              {snap.organisation.businessObjectives.map((b) => (
                <li key={b.id}>{b.name}</li>
              ))}
            </ul>
            <TextInput
              label="Add a business objective"
              path="businessObjectives"
              errors={orgErrors}
              value={objective}
              onValue={setObjective}
            />
            <button type="submit" class="primary" disabled={!allowed.ok}>
              Save organisation
            </button>
          </form>
          <h2>Departments</h2>
          <ul>
            {snap.departments.map((d) => (
              <li key={d.id}>
                <strong>{d.name}</strong> — manager {name(d.managerId)}, up-line{' '}
                {d.upLineManagerId ? name(d.upLineManagerId) : 'from parent department'}{' '}
                <button
                  type="button"
                  onClick={() => setDept({ ...BLANK_DEPT, ...compact({ ...d }) } as typeof BLANK_DEPT)}
                >
                  Edit
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={(e) => void saveDept(e)} aria-label="Department" noValidate>
            <ErrorSummary errors={deptErrors} />
            <TextInput
              label="Department name"
              path="name"
              errors={deptErrors}
              value={dept.name}
              onValue={(n) => setDept({ ...dept, name: n })}
            />
            <SelectInput
              label="Manager"
              path="managerId"
              errors={deptErrors}
              value={dept.managerId}
              onValue={(managerId) => setDept({ ...dept, managerId })}
              options={people}
              empty="— none —"
            />
            <SelectInput
              label="Up-line manager (verifies its goals)"
              path="upLineManagerId"
              errors={deptErrors}
              value={dept.upLineManagerId}
              onValue={(upLineManagerId) => setDept({ ...dept, upLineManagerId })}
              options={people}
              empty="— the parent department's manager —"
            />
            <SelectInput
              label="Parent department"
              path="parentId"
              errors={deptErrors}
              value={dept.parentId}
              onValue={(parentId) => setDept({ ...dept, parentId })}
              options={snap.departments.filter((d) => d.id !== dept.id).map((d) => [d.id, d.name])}
              empty="— none —"
            />
            <button type="submit" class="primary" disabled={!allowed.ok}>
              Save department
            </button>
          </form>
        </section>
        <section aria-labelledby="people-title">
          <h2 id="people-title">People</h2>
          <ul>
            {snap.people.map((p) => (
              <li key={p.id}>
                {p.name} ({p.role}
                {p.departmentId
                  ? `, ${snap.departments.find((d) => d.id === p.departmentId)?.name ?? ''}`
                  : ''}
                ){' '}
                <button
                  type="button"
                  onClick={() => setPerson({ ...BLANK_PERSON, ...compact({ ...p }) } as typeof BLANK_PERSON)}
                >
                  Edit
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={(e) => void savePerson(e)} aria-label="Person" noValidate>
            <ErrorSummary errors={personErrors} />
            <TextInput
              label="Name"
              path="name"
              errors={personErrors}
              value={person.name}
              onValue={(n) => setPerson({ ...person, name: n })}
            />
            <TextInput
              label="E-mail"
              path="email"
              errors={personErrors}
              type="email"
              value={person.email}
              onValue={(email) => setPerson({ ...person, email })}
            />
            <SelectInput
              label="Role"
              path="role"
              errors={personErrors}
              value={person.role}
              onValue={(role) => setPerson({ ...person, role })}
              options={RoleSchema.options.map((r) => [r, r])}
            />
            <SelectInput
              label="Department"
              path="departmentId"
              errors={personErrors}
              value={person.departmentId}
              onValue={(departmentId) => setPerson({ ...person, departmentId })}
              options={snap.departments.map((d) => [d.id, d.name])}
              empty="— none —"
            />
            <button type="submit" class="primary" disabled={!allowed.ok}>
              Save person
            </button>
          </form>
        </section>
      </div>
    </div>
  );
}
