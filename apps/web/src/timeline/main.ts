import { h, replaceChildren } from '../shared/dom';
import { startPage } from '../shared/page';

startPage({ roles: ['auditor', 'support_worker'], async render(main) { replaceChildren(main, h('p', {}, 'Timeline')); } });
