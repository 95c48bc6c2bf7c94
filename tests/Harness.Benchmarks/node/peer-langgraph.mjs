// Usage: node peer-langgraph.mjs <postgres-url>
// LangGraph.js peer: a StateGraph over MessagesAnnotation with an agent node (a scripted chat model that asks for
// the echo tool, then answers), a prebuilt ToolNode, and PostgresSaver; every invoke uses durability "sync"
// (each checkpoint is written before the next step runs), so it is durable in the same sense as the harness.
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph'
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt'
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres'
import { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages'
import { tool } from '@langchain/core/tools'
import { serve } from './peer-loop.mjs'

const [url] = process.argv.slice(2)

/** The fake model: the first call asks for echo({text:"ping"}); once a tool result is in the history it answers. */
class ScriptedChatModel extends BaseChatModel {
  _llmType() { return 'scripted' }

  bindTools() { return this }

  async _generate(messages) {
    const answered = ToolMessage.isInstance(messages[messages.length - 1])
    const message = answered
      ? new AIMessage('echo answered: the durable turn works')
      : new AIMessage({ content: '', tool_calls: [{ id: 'call-1', name: 'echo', args: { text: 'ping' }, type: 'tool_call' }] })
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] }
  }
}

const echo = tool(async ({ text }) => text, {
  name: 'echo',
  description: 'returns its text',
  schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
})
const model = new ScriptedChatModel({}).bindTools([echo])
const checkpointer = PostgresSaver.fromConnString(url)
await checkpointer.setup()

const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
  .addNode('tools', new ToolNode([echo]))
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', toolsCondition, ['tools', END])
  .addEdge('tools', 'agent')
  .compile({ checkpointer })

const runTurn = async (threadId) => {
  const out = await graph.invoke({ messages: [new HumanMessage('hi')] }, { configurable: { thread_id: threadId }, durability: 'sync' })
  const last = out.messages[out.messages.length - 1]
  if (out.messages.length !== 4 || !String(last.content).startsWith('echo answered')) {
    throw new Error(`unexpected turn: ${out.messages.length} messages, last ${JSON.stringify(last.content)}`)
  }
}

await serve(runTurn, () => checkpointer.end())
