import { describe, expect, it } from 'vitest';
import {
  aggregateMessage,
  duplicate,
  forbidden,
  internalError,
  invalid,
  notFound,
  notSupported,
  renderFieldError,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from '../../src/api/field-error.js';

// Bodies as apimachinery util/validation/field/errors.go renders them (spec §2 "Error string format").
describe('field error constructors render like field.Error.Error()', () => {
  it('Required and Forbidden print no value, and the detail only when non-empty', () => {
    expect(required('spec.containers').message).toMatchInlineSnapshot(`"spec.containers: Required value"`);
    expect(
      required('spec.containers[0].lifecycle.preStop', 'must specify a handler type').message,
    ).toMatchInlineSnapshot(`"spec.containers[0].lifecycle.preStop: Required value: must specify a handler type"`);
    expect(
      forbidden('spec.initContainers[0].lifecycle', 'may not be set for init containers without restartPolicy=Always')
        .message,
    ).toMatchInlineSnapshot(
      `"spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always"`,
    );
    expect(required('x')).toMatchObject({ type: 'FieldValueRequired', badValue: '', detail: '' });
  });

  it('Invalid prints the Go-formatted value and the detail', () => {
    expect(
      invalid('spec.containers[0].lifecycle.preStop.httpGet.port', 0, 'must be between 1 and 65535, inclusive').message,
    ).toMatchInlineSnapshot(
      `"spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"`,
    );
    expect(invalid('f', 'a\nb', '').message).toMatchInlineSnapshot(`"f: Invalid value: "a\\nb""`);
    expect(invalid('f', null, 'd').message).toMatchInlineSnapshot(`"f: Invalid value: null: d"`);
    expect(invalid('f', 1.5, 'd').message).toMatchInlineSnapshot(`"f: Invalid value: 1.5: d"`);
  });

  it('TypeInvalid renders like Invalid but keeps its type', () => {
    const error = typeInvalid('spec.terminationGracePeriodSeconds', '30', 'must be of type integer');
    expect(error.type).toBe('FieldValueTypeInvalid');
    expect(error.message).toMatchInlineSnapshot(
      `"spec.terminationGracePeriodSeconds: Invalid value: "30": must be of type integer"`,
    );
  });

  it('NotSupported quotes each supported value', () => {
    expect(
      notSupported('spec.containers[0].lifecycle.preStop.httpGet.scheme', 'ftp', ['HTTP', 'HTTPS']).message,
    ).toMatchInlineSnapshot(
      `"spec.containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "ftp": supported values: "HTTP", "HTTPS""`,
    );
    expect(notSupported('f', 'x', []).message).toMatchInlineSnapshot(`"f: Unsupported value: "x""`);
  });

  it('Duplicate, NotFound, TooLong, TooMany, Internal', () => {
    expect(duplicate('spec.containers[1].name', 'web').message).toMatchInlineSnapshot(
      `"spec.containers[1].name: Duplicate value: "web""`,
    );
    expect(notFound('f', 'x').message).toMatchInlineSnapshot(`"f: Not found: "x""`);
    // apimachinery 1.35 wording (spec pod §2.3 [AV]; k/k#137135 quotes it for restartPolicyRules).
    expect(tooLong('f', 'xxxxx', 3).message).toBe('f: Too long: may not be more than 3 bytes');
    expect(tooLong('f', 'xx', 1).message).toBe('f: Too long: may not be more than 1 byte');
    expect(tooMany('f', 5, 3).message).toMatchInlineSnapshot(`"f: Too many: 5: must have at most 3 items"`);
    expect(tooMany('f', -1, -1).message).toMatchInlineSnapshot(`"f: Too many: has too many items"`);
    expect(internalError('f', new Error('boom')).message).toMatchInlineSnapshot(`"f: Internal error: boom"`);
  });

  it('renderFieldError renders any plain error object', () => {
    expect(
      renderFieldError({ type: 'FieldValueInvalid', field: 'a.b', badValue: { x: 1 }, detail: '' }),
    ).toMatchInlineSnapshot(`"a.b: Invalid value: map[string]interface {}{"x":1}"`);
  });

  it('errors are frozen', () => {
    expect(Object.isFrozen(required('x'))).toBe(true);
  });
});

// apierrors.NewInvalid: fmt.Sprintf("%s %q is invalid: %v", kind, name, errs.ToAggregate()).
describe('aggregateMessage', () => {
  it('prints one error bare (utilerrors aggregate of length 1)', () => {
    expect(aggregateMessage('web', [required('spec.containers')])).toMatchInlineSnapshot(
      `"Pod "web" is invalid: spec.containers: Required value"`,
    );
  });

  it('brackets several errors and drops repeated messages (ToAggregate)', () => {
    const a = required('spec.containers[0].name');
    const b = forbidden('spec.ephemeralContainers[0].lifecycle', 'cannot be set for an Ephemeral Container');
    expect(aggregateMessage('web', [a, b, a])).toMatchInlineSnapshot(
      `"Pod "web" is invalid: [spec.containers[0].name: Required value, spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container]"`,
    );
  });

  it('Go-quotes the name and prints <nil> for no errors', () => {
    expect(aggregateMessage('we"b', [])).toMatchInlineSnapshot(`"Pod "we\\"b" is invalid: <nil>"`);
  });
});
