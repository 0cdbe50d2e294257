import { h, replaceChildren } from '../shared/dom';
import { startPage } from '../shared/page';

startPage({ roles: ['analyst'], async render(main) { replaceChildren(main, h('p', {}, 'Dashboard')); } });
