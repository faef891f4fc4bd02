/**
 * Cin7 Core facts the connector depends on, taken from Cin7's published API documentation as OpenAPI
 * (FalconEyeSolutions/CIN7-DearInventory `api/openapi.yaml`; `line` numbers are lines of that file) and, where
 * marked, the older generated spec nnhansg/dear-openapi `specification/dear-inventory-apikey-ruby.yaml`.
 * Field lists are the keys of the documented response examples (what Cin7 sends); `type` is the JSON type of
 * the example value (`null` when the example leaves it empty). Query parameters are the documented ones.
 * Derived once by reading the spec; edit by hand when the spec moves, citing the new line.
 */

export type Cin7JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export interface Cin7FieldFact {
  type: Cin7JsonType;
  line: number;
}

export interface Cin7EntityFact {
  /** The documented operation whose response example lists the fields. */
  source: { operation: string; line: number };
  fields: Readonly<Record<string, Cin7FieldFact>>;
}

/** Every Cin7 record shape the connector reads or writes, field by field, as documented. */
export const cin7Entities = {
  PurchaseListRow: {
    source: {
      operation:
        'GET /purchaseList?Page={Page}&Limit={Limit}&Search={Search}&RequiredBy={RequiredBy}&UpdatedSince={UpdatedSince}&OrderStatus={OrderStatus}&RestockReceivedStatus={RestockReceivedStatus}&InvoiceStatus={InvoiceStatus}&CreditNoteStatus={CreditNoteStatus}&UnstockStatus={UnstockStatus}&Status{Status}&DropShipTaskID={DropShipTaskID}',
      line: 17292,
    },
    fields: {
      BaseCurrency: { type: 'string', line: 17427 },
      BlindReceipt: { type: 'boolean', line: 17428 },
      CombinedInvoiceStatus: { type: 'string', line: 17429 },
      CombinedPaymentStatus: { type: 'string', line: 17430 },
      CombinedReceivingStatus: { type: 'string', line: 17431 },
      CreditNoteNumber: { type: 'string', line: 17432 },
      CreditNoteStatus: { type: 'string', line: 17433 },
      DropShipTaskID: { type: 'null', line: 17434 },
      ID: { type: 'string', line: 17435 },
      InvoiceAmount: { type: 'number', line: 17436 },
      InvoiceDate: { type: 'string', line: 17437 },
      InvoiceDueDate: { type: 'string', line: 17438 },
      InvoiceNumber: { type: 'string', line: 17439 },
      InvoiceStatus: { type: 'string', line: 17440 },
      IsServiceOnly: { type: 'boolean', line: 17441 },
      LastUpdatedDate: { type: 'string', line: 17442 },
      OrderDate: { type: 'string', line: 17443 },
      OrderNumber: { type: 'string', line: 17444 },
      OrderStatus: { type: 'string', line: 17445 },
      PaidAmount: { type: 'number', line: 17446 },
      RequiredBy: { type: 'null', line: 17447 },
      Status: { type: 'string', line: 17448 },
      StockReceivedStatus: { type: 'string', line: 17449 },
      Supplier: { type: 'string', line: 17450 },
      SupplierCurrency: { type: 'string', line: 17451 },
      SupplierID: { type: 'string', line: 17452 },
      Type: { type: 'string', line: 17453 },
      UnstockStatus: { type: 'string', line: 17454 },
    },
  },
  Purchase: {
    source: {
      operation: 'GET /advanced-purchase?ID={ID}&CombineAdditionalCharges={CombineAdditionalCharges}',
      line: 3711,
    },
    fields: {
      AdditionalAttributes: { type: 'object', line: 3757 },
      Approach: { type: 'string', line: 3768 },
      Attachments: { type: 'array', line: 3769 },
      BaseCurrency: { type: 'string', line: 3770 },
      BillingAddress: { type: 'object', line: 3771 },
      BlindReceipt: { type: 'boolean', line: 3780 },
      CombinedInvoiceStatus: { type: 'string', line: 3781 },
      CombinedPaymentStatus: { type: 'string', line: 3782 },
      CombinedReceivingStatus: { type: 'string', line: 3783 },
      Contact: { type: 'string', line: 3784 },
      CreditNote: { type: 'array', line: 3785 },
      CurrencyRate: { type: 'number', line: 3928 },
      ID: { type: 'string', line: 3929 },
      InventoryAccount: { type: 'string', line: 3930 },
      InventoryMovements: { type: 'array', line: 3931 },
      Invoice: { type: 'array', line: 4052 },
      IsServiceOnly: { type: 'boolean', line: 4100 },
      LastUpdatedDate: { type: 'string', line: 4101 },
      Location: { type: 'string', line: 4102 },
      ManualJournals: { type: 'array', line: 4103 },
      Note: { type: 'string', line: 4114 },
      Order: { type: 'object', line: 4115 },
      OrderDate: { type: 'string', line: 4151 },
      OrderNumber: { type: 'string', line: 4152 },
      Phone: { type: 'string', line: 4153 },
      PutAway: { type: 'array', line: 4154 },
      RelatedDropShipSaleTask: { type: 'null', line: 4187 },
      RequiredBy: { type: 'null', line: 4188 },
      ShippingAddress: { type: 'object', line: 4189 },
      Status: { type: 'string', line: 4199 },
      StockReceived: { type: 'array', line: 4200 },
      Supplier: { type: 'string', line: 4233 },
      SupplierCurrency: { type: 'string', line: 4234 },
      SupplierID: { type: 'string', line: 4235 },
      TaxCalculation: { type: 'string', line: 4236 },
      TaxRule: { type: 'string', line: 4237 },
      Terms: { type: 'string', line: 4238 },
      Type: { type: 'string', line: 4239 },
    },
  },
  PurchaseInvoice: {
    source: {
      operation: 'GET /advanced-purchase?ID={ID}&CombineAdditionalCharges={CombineAdditionalCharges}',
      line: 3711,
    },
    fields: {
      AdditionalCharges: { type: 'array', line: 4053 },
      InvoiceDate: { type: 'string', line: 4054 },
      InvoiceDueDate: { type: 'string', line: 4055 },
      InvoiceNumber: { type: 'string', line: 4056 },
      InvoicingAndReceivingNumber: { type: 'number', line: 4057 },
      Lines: { type: 'array', line: 4058 },
      Paid: { type: 'number', line: 4086 },
      Payments: { type: 'array', line: 4087 },
      Status: { type: 'string', line: 4095 },
      TaskID: { type: 'string', line: 4096 },
      Tax: { type: 'number', line: 4097 },
      Total: { type: 'number', line: 4098 },
      TotalBeforeTax: { type: 'number', line: 4099 },
    },
  },
  PurchaseInvoiceLine: {
    source: {
      operation: 'GET /advanced-purchase?ID={ID}&CombineAdditionalCharges={CombineAdditionalCharges}',
      line: 3711,
    },
    fields: {
      Account: { type: 'string', line: 4059 },
      Comment: { type: 'string', line: 4060 },
      DimensionsUnits: { type: 'string', line: 4061 },
      Discount: { type: 'number', line: 4062 },
      Name: { type: 'string', line: 4063 },
      Price: { type: 'number', line: 4064 },
      ProductCustomField1: { type: 'string', line: 4065 },
      ProductCustomField10: { type: 'string', line: 4066 },
      ProductCustomField2: { type: 'string', line: 4067 },
      ProductCustomField3: { type: 'string', line: 4068 },
      ProductCustomField4: { type: 'string', line: 4069 },
      ProductCustomField5: { type: 'string', line: 4070 },
      ProductCustomField6: { type: 'string', line: 4071 },
      ProductCustomField7: { type: 'string', line: 4072 },
      ProductCustomField8: { type: 'string', line: 4073 },
      ProductCustomField9: { type: 'string', line: 4074 },
      ProductHeight: { type: 'number', line: 4075 },
      ProductID: { type: 'string', line: 4076 },
      ProductLength: { type: 'number', line: 4077 },
      ProductWeight: { type: 'number', line: 4078 },
      ProductWidth: { type: 'number', line: 4079 },
      Quantity: { type: 'number', line: 4080 },
      SKU: { type: 'string', line: 4081 },
      Tax: { type: 'number', line: 4082 },
      TaxRule: { type: 'string', line: 4083 },
      Total: { type: 'number', line: 4084 },
      WeightUnits: { type: 'string', line: 4085 },
    },
  },
  PurchaseCreditNote: {
    source: {
      operation: 'GET /advanced-purchase?ID={ID}&CombineAdditionalCharges={CombineAdditionalCharges}',
      line: 3711,
    },
    fields: {
      AdditionalCharges: { type: 'array', line: 3786 },
      CreditNoteDate: { type: 'string', line: 3787 },
      CreditNoteInvoiceNumber: { type: 'string', line: 3788 },
      CreditNoteNumber: { type: 'string', line: 3789 },
      Lines: { type: 'array', line: 3790 },
      Refunds: { type: 'array', line: 3818 },
      Status: { type: 'string', line: 3826 },
      TaskID: { type: 'string', line: 3827 },
      Tax: { type: 'number', line: 3828 },
      Total: { type: 'number', line: 3829 },
      TotalBeforeTax: { type: 'number', line: 3830 },
      Unstock: { type: 'array', line: 3831 },
    },
  },
  Supplier: {
    source: {
      operation:
        'GET /supplier?Page={Page}&Limit={Limit}&ID={ID}&Name={Name}&ModifiedSince={ModifiedSince}&IncludeDeprecated={IncludeDeprecated}',
      line: 28297,
    },
    fields: {
      AccountPayable: { type: 'string', line: 28383 },
      AdditionalAttribute1: { type: 'null', line: 28384 },
      AdditionalAttribute10: { type: 'null', line: 28385 },
      AdditionalAttribute2: { type: 'null', line: 28386 },
      AdditionalAttribute3: { type: 'null', line: 28387 },
      AdditionalAttribute4: { type: 'null', line: 28388 },
      AdditionalAttribute5: { type: 'null', line: 28389 },
      AdditionalAttribute6: { type: 'null', line: 28390 },
      AdditionalAttribute7: { type: 'null', line: 28391 },
      AdditionalAttribute8: { type: 'null', line: 28392 },
      AdditionalAttribute9: { type: 'null', line: 28393 },
      Addresses: { type: 'array', line: 28394 },
      AttributeSet: { type: 'null', line: 28411 },
      Comments: { type: 'null', line: 28412 },
      Contacts: { type: 'array', line: 28413 },
      Currency: { type: 'string', line: 28423 },
      Discount: { type: 'number', line: 28424 },
      ID: { type: 'string', line: 28425 },
      LastModifiedOn: { type: 'string', line: 28426 },
      Name: { type: 'string', line: 28427 },
      PaymentTerm: { type: 'string', line: 28428 },
      Status: { type: 'string', line: 28429 },
      TaxNumber: { type: 'null', line: 28430 },
      TaxRule: { type: 'string', line: 28431 },
    },
  },
  SupplierAddress: {
    source: {
      operation:
        'GET /supplier?Page={Page}&Limit={Limit}&ID={ID}&Name={Name}&ModifiedSince={ModifiedSince}&IncludeDeprecated={IncludeDeprecated}',
      line: 28297,
    },
    fields: {
      ID: { type: 'string', line: 1476 }, // Supplier/Customer Address Model; absent from the example
      City: { type: 'string', line: 28395 },
      Country: { type: 'string', line: 28396 },
      DefaultForType: { type: 'boolean', line: 28397 },
      Line1: { type: 'string', line: 28398 },
      Line2: { type: 'string', line: 28399 },
      Postcode: { type: 'string', line: 28400 },
      State: { type: 'string', line: 28401 },
      Type: { type: 'string', line: 28402 },
    },
  },
  SupplierContact: {
    source: {
      operation:
        'GET /supplier?Page={Page}&Limit={Limit}&ID={ID}&Name={Name}&ModifiedSince={ModifiedSince}&IncludeDeprecated={IncludeDeprecated}',
      line: 28297,
    },
    fields: {
      ID: { type: 'string', line: 1490 }, // Supplier/Customer Contact Model; absent from the example
      Comment: { type: 'null', line: 28414 },
      Default: { type: 'boolean', line: 28415 },
      Email: { type: 'string', line: 28416 },
      Fax: { type: 'string', line: 28417 },
      IncludeInEmail: { type: 'boolean', line: 28418 },
      MobilePhone: { type: 'string', line: 28419 },
      Name: { type: 'string', line: 28420 },
      Phone: { type: 'string', line: 28421 },
      Website: { type: 'null', line: 28422 },
    },
  },
  Product: {
    source: { operation: 'POST /product', line: 9360 },
    fields: {
      AdditionalAttribute1: { type: 'null', line: 9397 },
      AdditionalAttribute10: { type: 'null', line: 9398 },
      AdditionalAttribute2: { type: 'null', line: 9399 },
      AdditionalAttribute3: { type: 'null', line: 9400 },
      AdditionalAttribute4: { type: 'null', line: 9401 },
      AdditionalAttribute5: { type: 'null', line: 9402 },
      AdditionalAttribute6: { type: 'null', line: 9403 },
      AdditionalAttribute7: { type: 'null', line: 9404 },
      AdditionalAttribute8: { type: 'null', line: 9405 },
      AdditionalAttribute9: { type: 'null', line: 9406 },
      AssemblyCostEstimationMethod: { type: 'string', line: 9407 },
      AssemblyInstructionURL: { type: 'null', line: 9408 },
      Attachments: { type: 'array', line: 9409 },
      AttributeSet: { type: 'null', line: 9410 },
      AutoAssembly: { type: 'boolean', line: 9411 },
      AutoDisassembly: { type: 'boolean', line: 9412 },
      AverageCost: { type: 'number', line: 9413 },
      Barcode: { type: 'null', line: 9414 },
      BillOfMaterial: { type: 'boolean', line: 9415 },
      BillOfMaterialsProducts: { type: 'array', line: 9416 },
      BillOfMaterialsServices: { type: 'array', line: 9424 },
      Brand: { type: 'null', line: 9430 },
      COGSAccount: { type: 'null', line: 9431 },
      CartonHeight: { type: 'number', line: 9432 },
      CartonInnerQuantity: { type: 'number', line: 9433 },
      CartonLength: { type: 'number', line: 9434 },
      CartonQuantity: { type: 'number', line: 9435 },
      CartonWidth: { type: 'number', line: 9436 },
      Category: { type: 'string', line: 9437 },
      CostingMethod: { type: 'string', line: 9438 },
      CountryOfOrigin: { type: 'string', line: 9439 },
      CountryOfOriginCode: { type: 'string', line: 9440 },
      DefaultLocation: { type: 'string', line: 9441 },
      Description: { type: 'null', line: 9442 },
      DiscountRule: { type: 'null', line: 9443 },
      DropShipMode: { type: 'string', line: 9444 },
      ExpenseAccount: { type: 'null', line: 9445 },
      HSCode: { type: 'string', line: 9446 },
      Height: { type: 'number', line: 9447 },
      ID: { type: 'string', line: 9448 },
      InternalNote: { type: 'string', line: 9449 },
      InventoryAccount: { type: 'null', line: 9450 },
      LastModifiedOn: { type: 'string', line: 9451 },
      Length: { type: 'number', line: 9452 },
      MinimumBeforeReorder: { type: 'number', line: 9453 },
      Movements: { type: 'array', line: 9454 },
      Name: { type: 'string', line: 9455 },
      PickZones: { type: 'string', line: 9456 },
      PriceTier1: { type: 'number', line: 9457 },
      PriceTier10: { type: 'number', line: 9458 },
      PriceTier2: { type: 'number', line: 9459 },
      PriceTier3: { type: 'number', line: 9460 },
      PriceTier4: { type: 'number', line: 9461 },
      PriceTier5: { type: 'number', line: 9462 },
      PriceTier6: { type: 'number', line: 9463 },
      PriceTier7: { type: 'number', line: 9464 },
      PriceTier8: { type: 'number', line: 9465 },
      PriceTier9: { type: 'number', line: 9466 },
      PriceTiers: { type: 'object', line: 9467 },
      PurchaseTaxRule: { type: 'null', line: 9478 },
      QuantityToProduce: { type: 'number', line: 9479 },
      ReorderLevels: { type: 'array', line: 9480 },
      ReorderQuantity: { type: 'number', line: 9487 },
      RevenueAccount: { type: 'null', line: 9488 },
      SKU: { type: 'string', line: 9489 },
      SaleTaxRule: { type: 'null', line: 9490 },
      Sellable: { type: 'boolean', line: 9491 },
      ShortDescription: { type: 'null', line: 9492 },
      Status: { type: 'string', line: 9493 },
      StockLocator: { type: 'null', line: 9494 },
      Suppliers: { type: 'array', line: 9495 },
      Tags: { type: 'string', line: 9505 },
      Type: { type: 'string', line: 9506 },
      UOM: { type: 'string', line: 9507 },
      Weight: { type: 'number', line: 9508 },
      Width: { type: 'number', line: 9509 },
    },
  },
  Account: {
    source: {
      operation: 'GET /ref/account?Page={Page}&Limit={Limit}&Code={Code}&Name={Name}&Type={Type}&Status={Status}',
      line: 17751,
    },
    fields: {
      BankAccountId: { type: 'null', line: 17832 },
      BankAccountNumber: { type: 'null', line: 17833 },
      Class: { type: 'string', line: 17834 },
      Code: { type: 'string', line: 17835 },
      Description: { type: 'string', line: 17836 },
      DisplayName: { type: 'string', line: 17838 },
      ForPayments: { type: 'boolean', line: 17839 },
      Name: { type: 'string', line: 17840 },
      OldCode: { type: 'null', line: 17841 },
      Status: { type: 'string', line: 17842 },
      SystemAccount: { type: 'string', line: 17843 },
      Type: { type: 'string', line: 17844 },
    },
  },
  TaxRule: {
    source: {
      operation:
        'GET /ref/tax?Page={Page}&Limit={Limit}&ID={ID}&Name={Name}&IsActive={IsActive}&IsTaxForSale={IsTaxForSale}&IsTaxForPurchase={IsTaxForPurchase}&Account={Account}',
      line: 20370,
    },
    fields: {
      Account: { type: 'string', line: 20468 },
      Components: { type: 'array', line: 20469 },
      ID: { type: 'string', line: 20475 },
      IsActive: { type: 'boolean', line: 20476 },
      IsTaxForPurchase: { type: 'boolean', line: 20477 },
      IsTaxForSale: { type: 'boolean', line: 20478 },
      Name: { type: 'string', line: 20479 },
      TaxInclusive: { type: 'boolean', line: 20480 },
      TaxPercent: { type: 'number', line: 20481 },
    },
  },
  PaymentTerm: {
    source: {
      operation:
        'GET /ref/paymentterm?Page={Page}&Limit={Limit}&ID={ID}&Name={Name}&Method={Method}&IsActive={IsActive}&IsDefault={IsDefault}',
      line: 19807,
    },
    fields: {
      Duration: { type: 'number', line: 19897 },
      ID: { type: 'string', line: 19898 },
      IsActive: { type: 'boolean', line: 19899 },
      IsDefault: { type: 'boolean', line: 19900 },
      Method: { type: 'string', line: 19901 },
      Name: { type: 'string', line: 19902 },
    },
  },
  Location: {
    source: {
      operation: 'GET /ref/location?ID={ID}&Page={Page}&Limit={Limit}&Deprecated={Deprecated}&Name={Name}',
      line: 19490,
    },
    fields: {
      Deprecated: { type: 'boolean', line: 289 }, // Available Fields for Location; absent from the example
      AddressCitySuburb: { type: 'string', line: 19563 },
      AddressCountry: { type: 'string', line: 19564 },
      AddressLine1: { type: 'string', line: 19565 },
      AddressLine2: { type: 'string', line: 19566 },
      AddressStateProvince: { type: 'string', line: 19567 },
      AddressZipPostCode: { type: 'string', line: 19568 },
      Bins: { type: 'null', line: 19569 },
      FixedAssetsLocation: { type: 'boolean', line: 19570 },
      ID: { type: 'string', line: 19571 },
      IsCoMan: { type: 'boolean', line: 19572 },
      IsDefault: { type: 'boolean', line: 19573 },
      IsDeprecated: { type: 'boolean', line: 19574 },
      IsShopfloor: { type: 'boolean', line: 19575 },
      IsStaging: { type: 'boolean', line: 19576 },
      Name: { type: 'string', line: 19577 },
      ParentID: { type: 'null', line: 19578 },
      ParentName: { type: 'null', line: 19579 },
      PickZones: { type: 'null', line: 19580 },
      ReferenceCount: { type: 'number', line: 19581 },
    },
  },
  Category: {
    source: { operation: 'GET /ref/category?Page={Page}&Limit={Limit}&Name={Name}', line: 18791 },
    fields: {
      ID: { type: 'string', line: 18848 },
      Name: { type: 'string', line: 18849 },
    },
  },
  Unit: {
    source: { operation: 'GET /ref/unit?Page={Page}&Limit={Limit}&Name={Name}', line: 20746 },
    fields: {
      ID: { type: 'string', line: 20805 },
      Name: { type: 'string', line: 20806 },
    },
  },
  Me: {
    source: { operation: 'GET /me', line: 8354 },
    fields: {
      ApplyCustomerDiscountsAfterOtherDiscounts: { type: 'boolean', line: 8384 },
      AutomaticallyApplyDiscounts: { type: 'boolean', line: 8385 },
      Company: { type: 'string', line: 8386 },
      Currency: { type: 'string', line: 8387 },
      DefaultDimensionsUnits: { type: 'string', line: 8388 },
      DefaultSaleTaxRuleId: { type: 'string', line: 8389 },
      DefaultSaleTaxRuleName: { type: 'string', line: 8390 },
      DefaultWeightUnits: { type: 'string', line: 8391 },
      DiscountRule: { type: 'string', line: 8392 },
      LockDate: { type: 'null', line: 8393 },
      MaximumDecimalPlacesInQuantity: { type: 'string', line: 8394 },
      OpeningBalanceDate: { type: 'string', line: 8395 },
      RoundingTable: { type: 'array', line: 8396 },
      TaxCalculationMethod: { type: 'string', line: 8409 },
      TimeZone: { type: 'string', line: 8410 },
    },
  },
  Webhook: {
    source: { operation: 'GET /webhooks', line: 28579 },
    fields: {
      ExternalAuthorizationType: { type: 'string', line: 28610 },
      ExternalBearerToken: { type: 'string', line: 28611 },
      ExternalHeaders: { type: 'array', line: 28612 },
      ExternalPassword: { type: 'string', line: 28617 },
      ExternalURL: { type: 'string', line: 28618 },
      ExternalUserName: { type: 'string', line: 28619 },
      ID: { type: 'string', line: 28620 },
      IsActive: { type: 'boolean', line: 28621 },
      Name: { type: 'string', line: 28622 },
      Type: { type: 'string', line: 28623 },
    },
  },
  WebhookHeader: {
    source: { operation: 'GET /webhooks', line: 28579 },
    fields: {
      Key: { type: 'string', line: 28613 },
      Value: { type: 'string', line: 28614 },
    },
  },
  PurchaseAdditionalCharge: {
    source: { operation: 'Purchase Invoice Additional Charge Model (no example carries a charge)', line: 1082 },
    fields: {
      Description: { type: 'string', line: 1086 },
      Reference: { type: 'string', line: 1087 },
      Quantity: { type: 'number', line: 1088 },
      Price: { type: 'number', line: 1089 },
      Discount: { type: 'number', line: 1090 },
      Tax: { type: 'number', line: 1091 },
      TaxRule: { type: 'string', line: 1092 },
      Account: { type: 'string', line: 1093 },
      Total: { type: 'number', line: 1094 },
    },
  },
} as const satisfies Record<string, Cin7EntityFact>;

export type Cin7EntityName = keyof typeof cin7Entities;

export interface Cin7EndpointFact {
  /** The path the client sends, relative to `CIN7_BASE_URL`, lower-cased. */
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  line: number;
  /** Documented query parameters and their lines. */
  query: Readonly<Record<string, number>>;
  /** The entity whose fields a request body may carry (POST/PUT). */
  body?: Cin7EntityName;
}

/** Every endpoint and method the client calls. */
export const cin7Endpoints: readonly Cin7EndpointFact[] = [
  {
    endpoint: 'purchaselist',
    method: 'GET',
    line: 17292,
    query: {
      Page: 17300,
      Limit: 17309,
      Search: 17319,
      RequiredBy: 17328,
      UpdatedSince: 17337,
      OrderStatus: 17345,
      RestockReceivedStatus: 17354,
      InvoiceStatus: 17362,
      CreditNoteStatus: 17370,
      UnstockStatus: 17378,
      Status: 17386,
      DropShipTaskID: 17395,
    },
  },
  {
    endpoint: 'advanced-purchase',
    method: 'GET',
    line: 3711,
    query: { ID: 3719, CombineAdditionalCharges: 3727 },
  },
  {
    endpoint: 'supplier',
    method: 'GET',
    line: 28297,
    query: { Page: 28305, Limit: 28314, ID: 28323, Name: 28332, ModifiedSince: 28341, IncludeDeprecated: 28350 },
  },
  {
    endpoint: 'product',
    method: 'GET',
    line: 10272,
    query: {
      ID: 10280,
      Page: 10288,
      Limit: 10297,
      Name: 10306,
      Sku: 10315,
      ModifiedSince: 10324,
      IncludeDeprecated: 10334,
      IncludeBOM: 10342,
      IncludeSuppliers: 10350,
      IncludeMovements: 10358,
      IncludeAttachments: 10366,
      IncludeReorderLevels: 10374,
      IncludeCustomPrices: 10382,
    },
  },
  {
    endpoint: 'ref/account',
    method: 'GET',
    line: 17751,
    query: { Page: 17759, Limit: 17768, Code: 17777, Name: 17785, Type: 17793, Status: 17801 },
  },
  {
    endpoint: 'ref/tax',
    method: 'GET',
    line: 20370,
    query: {
      Page: 20378,
      Limit: 20387,
      ID: 20396,
      Name: 20404,
      IsActive: 20412,
      IsTaxForSale: 20420,
      IsTaxForPurchase: 20428,
      Account: 20436,
    },
  },
  {
    endpoint: 'ref/paymentterm',
    method: 'GET',
    line: 19807,
    query: { Page: 19815, Limit: 19824, ID: 19833, Name: 19841, Method: 19849, IsActive: 19857, IsDefault: 19865 },
  },
  {
    endpoint: 'ref/location',
    method: 'GET',
    line: 19490,
    query: { Page: 19498, Limit: 19507, ID: 19516, Deprecated: 19524, Name: 19532 },
  },
  {
    endpoint: 'ref/category',
    method: 'GET',
    line: 18791,
    query: { Page: 18799, Limit: 18808, Name: 18817 },
  },
  {
    endpoint: 'ref/unit',
    method: 'GET',
    line: 20746,
    query: { Page: 20754, Limit: 20763, Name: 20772 },
  },
  {
    endpoint: 'me',
    method: 'GET',
    line: 8354,
    query: {},
  },
  {
    endpoint: 'webhooks',
    method: 'GET',
    line: 28579,
    query: {},
  },
  {
    endpoint: 'webhooks',
    method: 'POST',
    line: 28579,
    query: {},
    body: 'Webhook',
  },
  {
    endpoint: 'webhooks',
    method: 'PUT',
    line: 28579,
    query: {},
    body: 'Webhook',
  },
  {
    endpoint: 'supplier',
    method: 'POST',
    line: 28146,
    query: {},
    body: 'Supplier',
  },
  {
    endpoint: 'supplier',
    method: 'PUT',
    line: 28146,
    query: {},
    body: 'Supplier',
  },
  {
    endpoint: 'product',
    method: 'POST',
    line: 9360,
    query: {},
    body: 'Product',
  },
  {
    endpoint: 'product',
    method: 'PUT',
    line: 9360,
    query: {},
    body: 'Product',
  },
  {
    endpoint: 'ref/category',
    method: 'POST',
    line: 18661,
    query: {},
    body: 'Category',
  },
];

export interface Cin7EnumFact {
  entity: Cin7EntityName;
  field: string;
  /** Each value exactly as Cin7 sends it, with the line that documents it. */
  values: Readonly<Record<string, number | string>>;
}

/**
 * Values the connector compares against or sends, as Cin7 spells them. A number is a line of openapi.yaml; a
 * string names another file and line.
 */
export const cin7Enums = {
  invoiceStatus: {
    entity: 'PurchaseInvoice',
    field: 'Status',
    values: { 'NOT AVAILABLE': 1595, DRAFT: 1595, AUTHORISED: 1595, VOIDED: 1595, PAID: 1595 },
  },
  purchaseStatus: { entity: 'Purchase', field: 'Status', values: { DRAFT: 374, VOIDED: 375, INVOICED: 380 } },
  approach: { entity: 'Purchase', field: 'Approach', values: { STOCK: 2415, INVOICE: 3108 } },
  supplierStatus: { entity: 'Supplier', field: 'Status', values: { Active: 508, Deprecated: 508 } },
  productType: { entity: 'Product', field: 'Type', values: { Stock: 9506, Service: 1355 } },
  // Only `Active` appears in an example; `Deprecated` is what the IncludeDeprecated filter (10334) refers to.
  productStatus: { entity: 'Product', field: 'Status', values: { Active: 9493, Deprecated: 10334 } },
  webhookAuthorizationType: {
    entity: 'Webhook',
    field: 'ExternalAuthorizationType',
    values: {
      noauth: 'dear-inventory-apikey-ruby.yaml:4883',
      basicauth: 28610,
      bearerauth: 'dear-inventory-apikey-ruby.yaml:4883',
    },
  },
} as const satisfies Record<string, Cin7EnumFact>;
