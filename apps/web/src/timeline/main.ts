import { startPage } from '../shared/page';
import { renderTimeline } from './timeline-page';

startPage({ roles: ['auditor', 'support_worker'], render: renderTimeline });
