import { renderPopup } from '../../lib/ui/popup';

void renderPopup(document);
