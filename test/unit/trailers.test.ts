import * as assert from 'node:assert/strict';
import { assistedByValues, foldsIntoAnother, hasMessage } from '../../src/core/trailers';

describe('Assisted-by trailers (core)', () => {
  it('one value per tool and model, sorted; the tool alone when no line names a model; "unknown" without a tool', () => {
    assert.deepEqual(assistedByValues([]), []);
    assert.deepEqual(
      assistedByValues([
        { tool: 'copilot', model: 'gpt-4o' },
        { tool: 'claude-code', model: 'claude-sonnet-4-5' },
        { tool: 'copilot', model: 'gpt-4o' },
        { tool: 'copilot' },
        { tool: 'cursor' },
        { tool: null },
        { tool: 'copilot', model: 'gpt-4.1' },
      ]),
      ['claude-code:claude-sonnet-4-5', 'copilot:gpt-4.1', 'copilot:gpt-4o', 'cursor', 'unknown'],
    );
  });

  it('names with line breaks or runs of white space stay on one line', () => {
    assert.deepEqual(assistedByValues([{ tool: ' my\ntool ', model: 'big  model\r\n' }]), ['my tool:big model']);
    assert.deepEqual(assistedByValues([{ tool: '  ', model: '' }]), ['unknown']);
  });

  it('a message is there when a line other than a comment holds text, above git\'s scissors line', () => {
    assert.equal(hasMessage(''), false);
    assert.equal(hasMessage('\n# Please enter the commit message\n#\n'), false);
    assert.equal(hasMessage('  \n\t\n'), false);
    assert.equal(hasMessage('\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n'), false);
    assert.equal(hasMessage('Subject\n# comment\n'), true);
    assert.equal(hasMessage('; Subject\n', ';'), false);
    assert.equal(hasMessage('# Subject\n', ';'), true);
  });

  it('fixup!, squash! and amend! messages fold into another commit', () => {
    assert.equal(foldsIntoAnother('fixup! Add retry\n'), true);
    assert.equal(foldsIntoAnother('# comment\n\nsquash! Add retry\n\nmore\n'), true);
    assert.equal(foldsIntoAnother('amend! Add retry\n\nNew message\n'), true);
    assert.equal(foldsIntoAnother('Add retry\n\nfixup! not the subject\n'), false);
    assert.equal(foldsIntoAnother('fixup!Add retry\n'), false);
    assert.equal(foldsIntoAnother(''), false);
  });
});
