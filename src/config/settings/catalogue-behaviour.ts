/**
 * Catalogue rows for what the connector does: purchase rules, retries, polls, timers, webhooks, master data.
 *
 * The defaults of settings the use cases read come from `src/core/settings.ts` (`defaultSyncSettings`,
 * `defaultMasterDataSettings`), written here as app-setting text: the core may import nothing from
 * `src/config`, and use cases and tests need those defaults without loading settings, so the core holds
 * the value and this catalogue only spells it. Each default therefore exists once.
 */
import { defaultMasterDataSettings, defaultSyncSettings } from '../../core/settings.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND } from './units.js';
import { approaches, boolean, decimal, NCRONTAB_HINT, schedule, text, url } from './parsers.js';
import type { SettingRow } from './row.js';
import { choice, wholeNumber } from './row-builders.js';

const sync = defaultSyncSettings;
const masterData = defaultMasterDataSettings;

export const behaviourRows = {
  ELIGIBLE_APPROACHES: {
    required: 'no',
    default: sync.eligibleApproaches.join(','),
    description: 'Comma-separated Cin7 purchase Approach values that become BC invoices (INVOICE, STOCK).',
    parse: approaches,
  },
  LINE_MODE: choice(
    sync.lineMode,
    ['account', 'item', 'auto'],
    'BC invoice lines as G/L account lines (account), item lines (item), or items when the SKU exists (auto).',
  ),
  AMOUNT_TOLERANCE: {
    required: 'no',
    default: String(sync.amountTolerance),
    description: 'Largest difference between the BC and Cin7 invoice totals that still posts (decimal, at least 0).',
    parse: decimal,
  },
  AUTO_CREATE_VENDORS: {
    required: 'no',
    default: String(sync.autoCreateVendors),
    description: 'Create a BC vendor for a Cin7 supplier that matches none; otherwise park as needs-mapping.',
    parse: boolean,
  },
  VENDOR_MASTER: choice(masterData.vendorMaster, ['cin7', 'bc'], 'Which system wins for vendor data: cin7 or bc.'),
  VENDOR_INVOICE_NUMBER_FALLBACK: choice(
    sync.vendorInvoiceNumberFallback,
    ['order-number', 'none'],
    'When a Cin7 invoice has no number: use the order number (order-number) or park it (none).',
  ),
  CIN7_INVOICE_NUMBER_ORIGIN: choice(
    sync.invoiceNumberOrigin,
    ['supplier', 'cin7'],
    "Who issues a Cin7 purchase invoice's InvoiceNumber: supplier = the supplier's own bill number, " +
      "sent to BC unchanged so BC's duplicate check catches a bill keyed twice; " +
      "cin7 = Cin7's own sequence, sent as <OrderNumber>/<InvoiceNumber>.",
  ),
  POSTING_DATE_POLICY: choice(
    sync.postingDatePolicy,
    ['invoice-date', 'today'],
    'BC posting date: the Cin7 invoice date (invoice-date) or the day of posting (today).',
  ),
  BC_TAX_MODEL: choice(
    sync.taxModel,
    ['vat', 'sales-tax'],
    "The BC company's tax: vat (VAT/GST: UK, AU, NZ, EU) " +
      'or sales-tax (North America: tax-inclusive Cin7 invoices are sent tax-exclusive).',
  ),
  POLL_OVERLAP_MINUTES: wholeNumber(
    sync.pollOverlapMs / MS_PER_MINUTE,
    [0, 1440],
    'How far each poll reaches back before its watermark (0-1440 minutes).',
  ),
  POLL_INITIAL_LOOKBACK_DAYS: wholeNumber(
    sync.pollInitialLookbackMs / MS_PER_DAY,
    [0, 3650],
    'How far the first poll reaches back when there is no watermark (0-3650 days).',
  ),
  MAX_ATTEMPTS: wholeNumber(sync.maxAttempts, [1, 100], 'Attempts before a record becomes failed (1-100).'),
  RETRY_BASE_SECONDS: wholeNumber(
    sync.retryBaseMs / MS_PER_SECOND,
    [1, 86_400],
    'First retry delay before jitter (1-86400 seconds).',
  ),
  RETRY_MAX_SECONDS: wholeNumber(
    sync.retryMaxMs / MS_PER_SECOND,
    [1, 86_400],
    'Largest retry delay (1-86400 seconds, at least RETRY_BASE_SECONDS).',
  ),
  // Below the create lease (5 minutes) a live writer would be reported; a week is the longest useful wait.
  STUCK_RECORD_MINUTES: wholeNumber(
    sync.stuckAfterMs / MS_PER_MINUTE,
    [5, 10_080],
    'A record in creating or created for longer than this is reported as stuck by the health check, doctor ' +
      'and the stuck-records alert (5-10080 minutes).',
  ),
} satisfies Record<string, SettingRow>;

export const scheduleRows = {
  POLL_CIN7_SCHEDULE: {
    required: 'no',
    default: '0 */15 * * * *',
    description: `Cin7 poll timer (${NCRONTAB_HINT}).`,
    parse: schedule,
  },
  POLL_BC_SCHEDULE: {
    required: 'no',
    default: '0 */15 * * * *',
    description: `BC poll timer (${NCRONTAB_HINT}).`,
    parse: schedule,
  },
  RENEW_SUBSCRIPTIONS_SCHEDULE: {
    required: 'no',
    default: '0 0 */6 * * *',
    description: `BC subscription renewal timer; subscriptions expire after 3 days (${NCRONTAB_HINT}).`,
    parse: schedule,
  },
  CHECK_WEBHOOKS_SCHEDULE: {
    required: 'no',
    default: '0 30 * * * *',
    description: `Timer that re-activates Cin7 webhooks Cin7 switched off (${NCRONTAB_HINT}).`,
    parse: schedule,
  },
  OPEN_RECORDS_SNAPSHOT_SCHEDULE: {
    required: 'no',
    default: '0 */15 * * * *',
    description:
      'Timer that counts open and stuck records for the workbook and the stuck-records alert ' + `(${NCRONTAB_HINT}).`,
    parse: schedule,
  },
  PUBLIC_BASE_URL: {
    required: 'azure',
    description: "The app's public https base URL, used to register Cin7 webhooks and BC subscriptions.",
    parse: url({ trailingSlash: 'remove' }),
  },
  // Service Bus standard tier caps a message at 256 KiB; a body above 10 MiB is never a real webhook.
  WEBHOOK_MAX_BODY_BYTES: wholeNumber(
    262_144,
    [1024, 10 * 1024 * 1024],
    'Largest webhook or notification body accepted (1024-10485760 bytes).',
  ),
} satisfies Record<string, SettingRow>;

export const masterDataRows = {
  AUTO_CREATE_CATEGORIES: {
    required: 'no',
    default: String(masterData.autoCreateCategories),
    description: 'Create a Cin7 product category that does not exist yet; otherwise park as needs-mapping.',
    parse: boolean,
  },
  CIN7_DEFAULT_COSTING_METHOD: {
    required: 'no',
    default: masterData.cin7Defaults.costingMethod,
    description: 'Costing method of products created in Cin7.',
    parse: text(),
  },
  CIN7_DEFAULT_UOM: {
    required: 'no',
    default: masterData.cin7Defaults.uom,
    description: 'Unit of products created in Cin7.',
    parse: text(50),
  },
  CIN7_DEFAULT_CATEGORY: {
    required: 'no',
    description: 'Category of products created in Cin7 when BC has none.',
    parse: text(),
  },
  CIN7_DEFAULT_ACCOUNT_PAYABLE: {
    required: 'no',
    description: 'Accounts payable account code of suppliers created in Cin7.',
    parse: text(50),
  },
  CIN7_DEFAULT_TAX_RULE: { required: 'no', description: 'Tax rule of suppliers created in Cin7.', parse: text() },
  CIN7_DEFAULT_PAYMENT_TERM: {
    required: 'no',
    description: 'Payment term of suppliers created in Cin7.',
    parse: text(),
  },
  CIN7_DEFAULT_CURRENCY: {
    required: 'no',
    description: 'Currency of suppliers created in Cin7 when BC has none.',
    parse: text(3),
  },
} satisfies Record<string, SettingRow>;
