import { renderOptions } from '../../lib/ui/options';

void renderOptions(document);
