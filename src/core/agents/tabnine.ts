// Tabnine CLI: a Gemini CLI descendant; hooks in .tabnine/agent/settings.json with BeforeTool / AfterTool and
// Gemini's payloads and tools, write_file and replace (https://docs.tabnine.com/main/getting-started/tabnine-cli/
// features/hooks, .../hooks/configuration, .../hooks/examples-and-best-practices).
import { Agent } from './agent';
import { gemini } from './gemini';

export const tabnine: Agent<'tabnine'> = {
  name: 'tabnine',
  label: 'Tabnine CLI',
  parse: (p) => ({ ...gemini.parse(p), agent: 'tabnine' }),
  hooks: {
    file: '.tabnine/agent/settings.json',
    shape: 'groups',
    events: ['BeforeTool', 'AfterTool'],
    matcher: 'write_file|replace',
    name: 'ai-provenance',
  },
};
