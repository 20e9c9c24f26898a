"""UBL 2.1 documents written for the tests: the shared data holds no UBL file. Modelled on
the structure of KoSIT's public XRechnung test suite."""

UBL_INVOICE = """<?xml version="1.0" encoding="UTF-8"?>
<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>RE-2024-0815</cbc:ID>
  <cbc:IssueDate>2024-11-15+01:00</cbc:IssueDate>
  <cbc:DueDate>2024-12-15</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:TaxCurrencyCode>USD</cbc:TaxCurrencyCode>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="EM">billing@muster.example</cbc:EndpointID>
      <cac:PartyName><cbc:Name>Muster Shop</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>Hauptstraße 1</cbc:StreetName>
        <cbc:CityName>Berlin</cbc:CityName>
        <cbc:PostalZone>10115</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>DE123456789</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Muster GmbH</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cac:PartyName><cbc:Name>Kunde AG</cbc:Name></cac:PartyName>
      <cac:Contact><cbc:ElectronicMail>ap@kunde.example</cbc:ElectronicMail></cac:Contact>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="USD">20.50</cbc:TaxAmount></cac:TaxTotal>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">18.72</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">98.50</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">18.72</cbc:TaxAmount>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">98.50</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">98.5</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">117.22</cbc:TaxInclusiveAmount>
    <cbc:PrepaidAmount currencyID="EUR">17.22</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="EUR">100</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">2</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">39.80</cbc:LineExtensionAmount>
    <cac:Item><cbc:Description>Long text</cbc:Description><cbc:Name>USB-C cable</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">19.90</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>2</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">1.50</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">58.70</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Installation</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">39.1333</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</ubl:Invoice>
"""

# Default namespace for the root and unusual prefixes, as some producers write them.
UBL_CREDIT_NOTE = """<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <b:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</b:CustomizationID>
  <b:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</b:ProfileID>
  <b:ID>CN-7</b:ID>
  <b:IssueDate>2024-02-29</b:IssueDate>
  <b:CreditNoteTypeCode>381</b:CreditNoteTypeCode>
  <b:DocumentCurrencyCode>EUR</b:DocumentCurrencyCode>
  <a:AccountingSupplierParty><a:Party>
    <a:PartyLegalEntity><b:RegistrationName>Muster GmbH</b:RegistrationName></a:PartyLegalEntity>
  </a:Party></a:AccountingSupplierParty>
  <a:AccountingCustomerParty><a:Party>
    <a:PartyLegalEntity><b:RegistrationName>Kunde AG</b:RegistrationName></a:PartyLegalEntity>
  </a:Party></a:AccountingCustomerParty>
  <a:PaymentMeans><b:PaymentMeansCode>30</b:PaymentMeansCode><b:PaymentDueDate>2024-03-10</b:PaymentDueDate></a:PaymentMeans>
  <a:TaxTotal><b:TaxAmount currencyID="EUR">1.90</b:TaxAmount></a:TaxTotal>
  <a:LegalMonetaryTotal>
    <b:LineExtensionAmount currencyID="EUR">10.00</b:LineExtensionAmount>
    <b:TaxExclusiveAmount currencyID="EUR">10.00</b:TaxExclusiveAmount>
    <b:TaxInclusiveAmount currencyID="EUR">11.90</b:TaxInclusiveAmount>
    <b:PayableAmount currencyID="EUR">11.90</b:PayableAmount>
  </a:LegalMonetaryTotal>
  <a:CreditNoteLine>
    <b:ID>1</b:ID>
    <b:CreditedQuantity unitCode="C62">1</b:CreditedQuantity>
    <b:LineExtensionAmount currencyID="EUR">10.00</b:LineExtensionAmount>
    <a:Item><b:Name>Returned cable</b:Name></a:Item>
    <a:Price><b:PriceAmount currencyID="EUR">10</b:PriceAmount></a:Price>
  </a:CreditNoteLine>
</CreditNote>
"""
