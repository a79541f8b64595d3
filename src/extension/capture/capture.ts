/**
 * Every capture source, built together and plugged into the DocumentTracker as classifiers:
 * inline completions and next-edit suggestions, chat and agent edits. The never-marked rules
 * (HumanEdits, with the paste watcher) are shared by both.
 */
import { onDidChangeSection, readCaptureConfig } from '../config';
import { Disposable } from '../disposable';
import { DocumentTracker } from '../documentTracker';
import { Log } from '../log';
import { ChatEditCapture } from './chatEdits';
import { HumanEdits } from './humanEdits';
import { InlineAcceptCapture } from './inlineAccept';
import { PasteWatcher } from './paste';

export class Capture extends Disposable {
  readonly inline: InlineAcceptCapture;
  readonly chat: ChatEditCapture;

  constructor(tracker: DocumentTracker, log: Log) {
    super();
    const human = this.register(new HumanEdits(this.register(new PasteWatcher())));
    const config = readCaptureConfig();
    this.inline = this.register(new InlineAcceptCapture(human, log, config));
    this.chat = this.register(new ChatEditCapture(human, config, (d) => this.inline.isCapturing(d)));
    this.register(tracker.addClassifier((e) => this.inline.classify(e)));
    this.register(tracker.addClassifier((e) => this.chat.classify(e)));
    this.register(
      onDidChangeSection('aiProvenance.capture', () => {
        const next = readCaptureConfig();
        this.inline.setConfig(next);
        this.chat.setConfig(next);
      }),
    );
  }

  /** Takes over the accept commands; resolves once Tab is being recorded. */
  start(): Promise<void> {
    return this.inline.start();
  }
}
