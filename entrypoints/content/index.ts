import { defineContentScript } from 'wxt/utils/define-content-script';
import { runCapture } from '../../lib/capture/controller';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_start',
  main(ctx) {
    runCapture(ctx);
  },
});
