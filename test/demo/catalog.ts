/**
 * The demo company's master data: a specialty-foods distributor's suppliers and product range. Plain data;
 * `scenario.ts` decides prices, quantities and purchases from it with a seeded random source.
 */

/** How the connector should find the supplier's BC vendor (DESIGN §4 default matching). */
export type VendorMatch =
  /** BC vendor has the same tax registration number (possibly typed differently, and a different name). */
  | 'tax-number'
  /** BC vendor has no tax number; only the exact name matches. */
  | 'name';

export interface CatalogSupplier {
  name: string;
  /** Short code used for the supplier's own invoice numbers (e.g. `TG-26117`). */
  invoicePrefix: string;
  categories: readonly string[];
  /** Cin7 supplier tax number (blank for none). */
  taxNumber: string;
  /** The tax registration number on the BC vendor; `undefined` when the BC vendor has none. */
  bcTaxNumber?: string;
  /** The BC vendor's name when the BC clerk spelt it differently (only with tax-number matching). */
  bcName?: string;
  match: VendorMatch;
  currency?: 'EUR';
  taxRule?: string;
  taxInclusive?: boolean;
  paymentTerm?: string;
  /** Relative share of purchases. */
  weight: number;
  country: string;
  city: string;
}

export const locations = { main: 'Main Warehouse', coastal: 'Coastal DC' } as const;

/** Cin7 tax rules the scenario uses, with their BC tax group codes (same name, upper-cased) and rates. */
export const taxRules = [
  { name: 'Tax on Purchases', percent: 10 },
  { name: 'Tax Exempt', percent: 0 },
  { name: 'Reduced Food Rate', percent: 5 },
] as const;

/** Cin7 account codes the purchases use, and how BC's chart of accounts relates to them. */
export const accounts = {
  inventory: '630',
  freight: '425',
  generalExpenses: '429',
  /** In Cin7 (default "Inventory Control") and in BC, but BC does not allow direct posting to it. */
  inventoryControl: '715',
  /** In Cin7 only: "Packaging Materials". */
  packaging: '477',
  /** In Cin7 only: "Samples & Tastings". */
  samples: '640',
} as const;

export const suppliers: readonly CatalogSupplier[] = [
  {
    name: 'Tuscan Groves Olive Oil Co.',
    invoicePrefix: 'TG',
    categories: ['Olive Oils'],
    taxNumber: '94-3187265',
    bcTaxNumber: '943187265',
    bcName: 'Tuscan Groves Olive Oil Company',
    match: 'tax-number',
    weight: 7,
    country: 'US',
    city: 'Sonoma',
  },
  {
    name: 'Frantoio Bellavista S.r.l.',
    invoicePrefix: 'FB',
    categories: ['Olive Oils', 'Vinegars'],
    taxNumber: 'IT01873450523',
    bcTaxNumber: 'IT01873450523',
    match: 'tax-number',
    currency: 'EUR',
    taxRule: 'Tax Exempt',
    weight: 5,
    country: 'IT',
    city: 'Siena',
  },
  {
    name: "O'Brien Fine Foods",
    invoicePrefix: 'OBF',
    categories: ['Preserves & Honey', 'Crackers & Biscuits'],
    taxNumber: '27-5540921',
    match: 'name',
    weight: 6,
    country: 'US',
    city: 'Boston',
  },
  {
    name: 'Modena Balsamic Imports',
    invoicePrefix: 'MBI',
    categories: ['Vinegars'],
    taxNumber: '36-4410287',
    bcTaxNumber: '36-4410287',
    match: 'tax-number',
    weight: 5,
    country: 'US',
    city: 'Newark',
  },
  {
    name: 'Vermont Creamery Collective',
    invoicePrefix: 'VCC',
    categories: ['Cheeses'],
    taxNumber: '03-0281144',
    bcTaxNumber: '030281144',
    match: 'tax-number',
    paymentTerm: '14 days',
    weight: 7,
    country: 'US',
    city: 'Burlington',
  },
  {
    name: 'Alpine Cheese Traders',
    invoicePrefix: 'ACT',
    categories: ['Cheeses'],
    taxNumber: '13-7720934',
    bcTaxNumber: '13-7720934',
    bcName: 'Alpine Cheese Traders, Inc.',
    match: 'tax-number',
    weight: 6,
    country: 'US',
    city: 'New York',
  },
  {
    name: 'Blue Ridge Charcuterie',
    invoicePrefix: 'BRC',
    categories: ['Charcuterie'],
    taxNumber: '54-1902836',
    bcTaxNumber: '54 1902836',
    match: 'tax-number',
    weight: 6,
    country: 'US',
    city: 'Asheville',
  },
  {
    name: 'Salumeria Fratelli Rossi',
    invoicePrefix: 'SFR',
    categories: ['Charcuterie'],
    taxNumber: '22-3817460',
    bcTaxNumber: '22-3817460',
    match: 'tax-number',
    paymentTerm: 'Net 45',
    weight: 5,
    country: 'US',
    city: 'Philadelphia',
  },
  {
    name: 'Pasta Artigiana of Brooklyn',
    invoicePrefix: 'PAB',
    categories: ['Pasta & Grains'],
    taxNumber: '11-6620718',
    bcTaxNumber: '11-6620718',
    match: 'tax-number',
    taxRule: 'Reduced Food Rate',
    weight: 5,
    country: 'US',
    city: 'Brooklyn',
  },
  {
    name: 'Golden Wheat Mills',
    invoicePrefix: 'GWM',
    categories: ['Pasta & Grains'],
    taxNumber: '47-2039115',
    bcTaxNumber: '47-2039115',
    match: 'tax-number',
    taxRule: 'Reduced Food Rate',
    weight: 4,
    country: 'US',
    city: 'Minneapolis',
  },
  {
    name: 'Spice Route Trading Co.',
    invoicePrefix: 'SRT',
    categories: ['Spices', 'Specialty Salts'],
    taxNumber: '95-4418230',
    bcTaxNumber: '95-4418230',
    match: 'tax-number',
    weight: 6,
    country: 'US',
    city: 'Oakland',
  },
  {
    name: 'Saffron & Sumac Provisions',
    invoicePrefix: 'SSP',
    categories: ['Spices'],
    taxNumber: '84-3361092',
    bcTaxNumber: '84-3361092',
    match: 'tax-number',
    weight: 4,
    country: 'US',
    city: 'Denver',
  },
  {
    name: 'Pacific Sea Salt Works',
    invoicePrefix: 'PSW',
    categories: ['Specialty Salts'],
    taxNumber: '91-2287340',
    bcTaxNumber: '91-2287340',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Newport',
  },
  {
    name: 'Harbor Artisan Bakery Supply',
    invoicePrefix: 'HAB',
    categories: ['Crackers & Biscuits'],
    taxNumber: '52-7734019',
    bcTaxNumber: '52-7734019',
    match: 'tax-number',
    taxInclusive: true,
    weight: 5,
    country: 'US',
    city: 'Baltimore',
  },
  {
    name: 'Cascade Honey Farm',
    invoicePrefix: 'CHF',
    categories: ['Preserves & Honey'],
    taxNumber: '',
    match: 'name',
    weight: 4,
    country: 'US',
    city: 'Hood River',
  },
  {
    name: 'Mission Fig Orchards',
    invoicePrefix: 'MFO',
    categories: ['Preserves & Honey'],
    taxNumber: '77-0412893',
    bcTaxNumber: '77-0412893',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Fresno',
  },
  {
    name: 'Hudson Valley Mushroom Co.',
    invoicePrefix: 'HVM',
    categories: ['Truffles & Mushrooms'],
    taxNumber: '14-1876602',
    bcTaxNumber: '14-1876602',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Kingston',
  },
  {
    name: 'Chocolaterie Belle Rive',
    invoicePrefix: 'CBR',
    categories: ['Chocolate'],
    taxNumber: '26-3309178',
    bcTaxNumber: '26-3309178',
    match: 'tax-number',
    weight: 4,
    country: 'US',
    city: 'New Orleans',
  },
  {
    name: 'Kona Highlands Coffee',
    invoicePrefix: 'KHC',
    categories: ['Coffee & Tea'],
    taxNumber: '99-0417726',
    bcTaxNumber: '99-0417726',
    match: 'tax-number',
    weight: 4,
    country: 'US',
    city: 'Kailua-Kona',
  },
  {
    name: 'Jade Leaf Tea Importers',
    invoicePrefix: 'JLT',
    categories: ['Coffee & Tea'],
    taxNumber: '93-1150384',
    bcTaxNumber: '93-1150384',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Portland',
  },
  {
    name: 'Nordic Smokehouse',
    invoicePrefix: 'NSH',
    categories: ['Tinned & Smoked Fish'],
    taxNumber: '41-8826150',
    bcTaxNumber: '41-8826150',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Duluth',
  },
  {
    name: 'La Conserva Tinned Fish',
    invoicePrefix: 'LCT',
    categories: ['Tinned & Smoked Fish'],
    taxNumber: '65-2093371',
    bcTaxNumber: '65-2093371',
    match: 'tax-number',
    weight: 3,
    country: 'US',
    city: 'Miami',
  },
];

interface CatalogCategory {
  name: string;
  skuPrefix: string;
  /** Typical unit cost range in dollars (or euros for the euro supplier). */
  cost: readonly [number, number];
  products: readonly string[];
}

export const categories: readonly CatalogCategory[] = [
  {
    name: 'Olive Oils',
    skuPrefix: 'OIL',
    cost: [6, 38],
    products: [
      'Extra Virgin Olive Oil 500 ml',
      'Extra Virgin Olive Oil 1 L tin',
      'Arbequina EVOO 250 ml',
      'Koroneiki EVOO 750 ml',
      'Lemon-infused Olive Oil 250 ml',
      'Garlic-infused Olive Oil 250 ml',
      'Chili Olive Oil 250 ml',
      'Picual EVOO 3 L tin',
      'Early Harvest EVOO 500 ml',
      'Basil Olive Oil 250 ml',
      'Unfiltered Olio Nuovo 1 L',
      'Taggiasca EVOO 500 ml',
    ],
  },
  {
    name: 'Vinegars',
    skuPrefix: 'VIN',
    cost: [4, 42],
    products: [
      'Balsamic Vinegar of Modena IGP 250 ml',
      'Aged Balsamic 12 yr 100 ml',
      'White Balsamic 500 ml',
      'Fig Balsamic 250 ml',
      'Sherry Vinegar Reserva 375 ml',
      'Champagne Vinegar 375 ml',
      'Red Wine Vinegar 500 ml',
      'Raw Apple Cider Vinegar 1 L',
      'Banyuls Vinegar 500 ml',
      'Pomegranate Molasses 300 ml',
    ],
  },
  {
    name: 'Cheeses',
    skuPrefix: 'CHE',
    cost: [7, 34],
    products: [
      'Parmigiano Reggiano 24 mo 1 kg',
      'Pecorino Romano 1 kg',
      'Aged Gouda 1 kg',
      'Comté 18 mo 1 kg',
      'Gruyère AOP 1 kg',
      'Manchego 6 mo 1 kg',
      'Stilton Wedge 250 g',
      'Brie de Meaux 1 kg',
      'Cave-aged Cheddar 1 kg',
      'Taleggio DOP 1 kg',
      'Gorgonzola Dolce 1 kg',
      'Fresh Chèvre Log 300 g',
      'Burrata 250 g',
      'Humboldt Fog 500 g',
    ],
  },
  {
    name: 'Charcuterie',
    skuPrefix: 'CHA',
    cost: [5, 29],
    products: [
      'Prosciutto di Parma Sliced 100 g',
      'Jamón Serrano Sliced 100 g',
      'Spanish Chorizo 250 g',
      'Finocchiona 200 g',
      'Soppressata 200 g',
      'Bresaola 100 g',
      "'Nduja 200 g",
      'Coppa 100 g',
      'Mortadella with Pistachio 1 kg',
      'Salami Milano 250 g',
      'Duck Prosciutto 100 g',
      'Lonza 100 g',
    ],
  },
  {
    name: 'Pasta & Grains',
    skuPrefix: 'PAS',
    cost: [2, 9],
    products: [
      'Bronze-cut Rigatoni 500 g',
      'Bronze-cut Spaghetti 500 g',
      'Paccheri 500 g',
      'Orecchiette 500 g',
      'Egg Tagliatelle 250 g',
      'Casarecce 500 g',
      'Farro Perlato 1 kg',
      'Carnaroli Rice 1 kg',
      'Arborio Rice 1 kg',
      'Polenta Taragna 500 g',
      'Fregola Sarda 500 g',
      'Gnocchi di Patate 500 g',
    ],
  },
  {
    name: 'Spices',
    skuPrefix: 'SPI',
    cost: [3, 24],
    products: [
      'Smoked Paprika 75 g',
      'Saffron Threads 1 g',
      'Sumac 60 g',
      "Za'atar 60 g",
      'Ras el Hanout 50 g',
      'Aleppo Pepper 60 g',
      'Tellicherry Peppercorns 100 g',
      'Ceylon Cinnamon Sticks 50 g',
      'Madagascar Vanilla Beans (5)',
      'Herbes de Provence 40 g',
      'Fennel Pollen 15 g',
      'Urfa Biber 60 g',
      'Sichuan Peppercorns 50 g',
      'Garam Masala 60 g',
    ],
  },
  {
    name: 'Specialty Salts',
    skuPrefix: 'SAL',
    cost: [3, 15],
    products: [
      'Flaky Sea Salt 250 g',
      'Fleur de Sel 125 g',
      'Smoked Sea Salt 150 g',
      'Black Lava Salt 150 g',
      'Truffle Salt 100 g',
      'Pink Himalayan Salt 500 g',
    ],
  },
  {
    name: 'Preserves & Honey',
    skuPrefix: 'PRE',
    cost: [3, 18],
    products: [
      'Fig Jam 250 g',
      'Sour Cherry Preserves 340 g',
      'Seville Orange Marmalade 340 g',
      'Wildflower Honey 500 g',
      'Raw Buckwheat Honey 500 g',
      'Chestnut Honey 250 g',
      'Quince Paste 250 g',
      'Onion Confit 200 g',
      'Apricot Preserves 340 g',
      'Hot Honey 340 g',
    ],
  },
  {
    name: 'Crackers & Biscuits',
    skuPrefix: 'CRA',
    cost: [2, 8],
    products: [
      'Rosemary Crackers 150 g',
      'Fig & Olive Crisps 150 g',
      'Grissini Torinesi 125 g',
      'Scottish Oatcakes 200 g',
      'Taralli Pugliesi 250 g',
      'Water Crackers 125 g',
      'Seeded Flatbread 150 g',
      'Almond Cantuccini 200 g',
    ],
  },
  {
    name: 'Chocolate',
    skuPrefix: 'CHO',
    cost: [3, 30],
    products: [
      '70% Dark Chocolate Bar 80 g',
      'Gianduja Milk Hazelnut Bar 80 g',
      'Cacao Nibs 200 g',
      'Dark Couverture Callets 1 kg',
      'Sea Salt Caramel Bar 80 g',
      'Candied Orange Peel in Dark Chocolate 150 g',
      'Drinking Chocolate 300 g',
      'Assorted Pralines Box 16',
    ],
  },
  {
    name: 'Coffee & Tea',
    skuPrefix: 'BEV',
    cost: [5, 45],
    products: [
      'Kona Peaberry 1 lb',
      'House Espresso Blend 1 kg',
      'Ethiopian Yirgacheffe 340 g',
      'Decaf Colombian 340 g',
      'Sencha Green Tea 100 g',
      'Ceremonial Matcha 30 g',
      'Earl Grey Loose Leaf 100 g',
      'Chamomile Flowers 50 g',
      'Jasmine Pearls 100 g',
      'Red Rooibos 100 g',
    ],
  },
  {
    name: 'Tinned & Smoked Fish',
    skuPrefix: 'FSH',
    cost: [3, 26],
    products: [
      'Sardines in Olive Oil 120 g',
      'Ventresca Tuna 110 g',
      'Smoked Rainbow Trout 200 g',
      'Cantabrian Anchovy Fillets 50 g',
      'Mussels in Escabeche 115 g',
      'Cold-smoked Salmon Side 1 kg',
      'Octopus in Olive Oil 111 g',
      'Smoked Cod Liver 120 g',
    ],
  },
  {
    name: 'Truffles & Mushrooms',
    skuPrefix: 'TRF',
    cost: [6, 48],
    products: [
      'Dried Porcini 50 g',
      'Black Truffle Paste 80 g',
      'Truffle Honey 120 g',
      'Dried Morels 30 g',
      'Dried Chanterelles 40 g',
      'White Truffle Butter 80 g',
    ],
  },
];
