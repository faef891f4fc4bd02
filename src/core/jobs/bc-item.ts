/** Push a BC item into Cin7. */
import { defineRecordJobType } from './job-type.js';

export const bcItemJob = defineRecordJobType('bc-item', 'itemId', 'item');
