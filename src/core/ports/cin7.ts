/**
 * The Cin7 Core API as the use cases see it. `src/cin7/client.ts` implements it; every method returns
 * parsed, typed data or throws one of the errors in `core/errors.ts`.
 */
import type {
  Cin7Account,
  Cin7Me,
  Cin7NamedRef,
  Cin7PaymentTerm,
  Cin7Product,
  Cin7ProductInput,
  Cin7Purchase,
  Cin7PurchaseListRow,
  Cin7Supplier,
  Cin7SupplierInput,
  Cin7TaxRule,
  Cin7Webhook,
  Cin7WebhookInput,
} from '../../cin7/schemas.js';

export interface Cin7Port {
  getMe(): Promise<Cin7Me>;
  /** Purchase list rows, all pages. `updatedSince` is sent as UTC without offset. */
  listPurchases(options?: { updatedSince?: Date; search?: string }): AsyncIterable<Cin7PurchaseListRow>;
  /** GET advanced-purchase?ID=; undefined when Cin7 has no purchase with that ID. */
  getPurchase(id: string): Promise<Cin7Purchase | undefined>;
  listSuppliers(options?: { modifiedSince?: Date; name?: string }): AsyncIterable<Cin7Supplier>;
  getSupplier(id: string): Promise<Cin7Supplier | undefined>;
  /** Not retried unless Cin7 proves it did not process it (429/503). */
  createSupplier(input: Cin7SupplierInput): Promise<Cin7Supplier>;
  updateSupplier(input: Cin7SupplierInput & { ID: string }): Promise<Cin7Supplier>;
  listProducts(options?: { modifiedSince?: Date }): AsyncIterable<Cin7Product>;
  /** Exact SKU match on top of Cin7's substring `Sku` filter. */
  getProductBySku(sku: string): Promise<Cin7Product | undefined>;
  createProduct(input: Cin7ProductInput): Promise<Cin7Product>;
  updateProduct(input: Cin7ProductInput & { ID: string }): Promise<Cin7Product>;
  listAccounts(): AsyncIterable<Cin7Account>;
  listTaxRules(): AsyncIterable<Cin7TaxRule>;
  listPaymentTerms(): AsyncIterable<Cin7PaymentTerm>;
  listLocations(): AsyncIterable<Cin7NamedRef>;
  listCategories(): AsyncIterable<Cin7NamedRef>;
  createCategory(name: string): Promise<Cin7NamedRef>;
  listUnits(): AsyncIterable<Cin7NamedRef>;
  listWebhooks(): Promise<Cin7Webhook[]>;
  createWebhook(input: Cin7WebhookInput): Promise<Cin7Webhook>;
  updateWebhook(input: Cin7WebhookInput & { ID: string }): Promise<Cin7Webhook>;
}
