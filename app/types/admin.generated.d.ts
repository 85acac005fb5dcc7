/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type TallyStageBulkVariablesMutationVariables = AdminTypes.Exact<{
  input: Array<AdminTypes.StagedUploadInput> | AdminTypes.StagedUploadInput;
}>;


export type TallyStageBulkVariablesMutation = { stagedUploadsCreate?: AdminTypes.Maybe<{ stagedTargets?: AdminTypes.Maybe<Array<(
      Pick<AdminTypes.StagedMediaUploadTarget, 'url' | 'resourceUrl'>
      & { parameters: Array<Pick<AdminTypes.StagedUploadParameter, 'name' | 'value'>> }
    )>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyBulkMutationRunMutationVariables = AdminTypes.Exact<{
  mutation: AdminTypes.Scalars['String']['input'];
  stagedUploadPath: AdminTypes.Scalars['String']['input'];
  clientIdentifier?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyBulkMutationRunMutation = { bulkOperationRunMutation?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkMutationUserError, 'field' | 'message' | 'code'>> }> };

export type TallyBulkMutationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyBulkMutationStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url' | 'partialDataUrl'>> };

export type TallyRecentBulkMutationsQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type TallyRecentBulkMutationsQuery = { bulkOperations: { nodes: Array<Pick<AdminTypes.BulkOperation, 'id' | 'query'>> } };

export type TallyBulkRunMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type TallyBulkRunMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message'>> }> };

export type TallyBulkStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyBulkStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url'>> };

export type TallyBulkCurrentQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyBulkCurrentQuery = { currentBulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'query'>> };

export type TallyCustomerForEditQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyCustomerForEditQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'taxExempt' | 'tags' | 'numberOfOrders'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber' | 'marketingState'>> }
  )> };

export type TallyCustomerUpdateMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerInput;
}>;


export type TallyCustomerUpdateMutation = { customerUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyCustomerEmailConsentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerEmailMarketingConsentUpdateInput;
}>;


export type TallyCustomerEmailConsentMutation = { customerEmailMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerEmailMarketingConsentUpdateUserError, 'field' | 'message' | 'code'>> }> };

export type TallyCustomerSmsConsentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerSmsMarketingConsentUpdateInput;
}>;


export type TallyCustomerSmsConsentMutation = { customerSmsMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerSmsMarketingConsentError, 'field' | 'message' | 'code'>> }> };

export type TallyCustomerDeleteMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerDeleteInput;
}>;


export type TallyCustomerDeleteMutation = { customerDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.CustomerDeletePayload, 'deletedCustomerId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type TallyCustomerRequestDataErasureMutationVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyCustomerRequestDataErasureMutation = { customerRequestDataErasure?: AdminTypes.Maybe<(
    Pick<AdminTypes.CustomerRequestDataErasurePayload, 'customerId'>
    & { userErrors: Array<Pick<AdminTypes.CustomerRequestDataErasureUserError, 'field' | 'message' | 'code'>> }
  )> };

export type TallyGroupSegmentCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars['String']['input'];
  query: AdminTypes.Scalars['String']['input'];
}>;


export type TallyGroupSegmentCreateMutation = { segmentCreate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyGroupSegmentUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  name?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyGroupSegmentUpdateMutation = { segmentUpdate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyGroupSegmentDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupSegmentDeleteMutation = { segmentDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.SegmentDeletePayload, 'deletedSegmentId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type TallyGroupMembersQueryVariables = AdminTypes.Exact<{
  segmentId: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyGroupMembersQuery = { customerSegmentMembers: (
    Pick<AdminTypes.CustomerSegmentMemberConnection, 'totalCount'>
    & { edges: Array<{ node: (
        Pick<AdminTypes.CustomerSegmentMember, 'id' | 'displayName' | 'numberOfOrders'>
        & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
      ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }
  ) };

export type TallyGroupSegmentExistsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupSegmentExistsQuery = { segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id'>> };

export type TallyGroupDiscountExistsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupDiscountExistsQuery = { node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.AnalyticsAnnotation, 'id'> | Pick<AdminTypes.AnalyticsTarget, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashDrawer, 'id'> | Pick<AdminTypes.CashManagementCustomReasonCode, 'id'> | Pick<AdminTypes.CashManagementDefaultReasonCode, 'id'> | Pick<AdminTypes.CashManagementSystemReasonCode, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfiguration, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfigurationOverride, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.CollectionConditionsSource, 'id'> | Pick<AdminTypes.CollectionSubCollectionsSource, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'> | Pick<AdminTypes.Customer, 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCashOutTransaction, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.IdentityProviderSubject, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.InventoryShipment, 'id'> | Pick<AdminTypes.InventoryShipmentLineItem, 'id'> | Pick<AdminTypes.InventoryTransfer, 'id'> | Pick<AdminTypes.InventoryTransferLineItem, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketRegionSubdivision, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderAttributionDefinition, 'id'> | Pick<AdminTypes.OrderCancelJobResult, 'id'> | Pick<AdminTypes.OrderCreateMandatePaymentJobResult, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderEditSession, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PointOfSaleDevice, 'id'> | Pick<AdminTypes.PointOfSaleDevicePaymentSession, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnReasonDefinition, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.ShippingLabel, 'id'> | Pick<AdminTypes.ShippingLabelPurchaseResult, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>> };

export type TallyGroupCountFragment = Pick<AdminTypes.CustomerSegmentMemberConnection, 'totalCount'>;

export type TallyGroupSegmentFragment = Pick<AdminTypes.Segment, 'id'>;

export type TallyGroupDiscountCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type TallyGroupDiscountCreateMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyGroupDiscountDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupDiscountDeleteMutation = { discountCodeDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountCodeDeletePayload, 'deletedCodeDiscountId'>
    & { userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }
  )> };

export type TallyGroupAutomaticDiscountCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountAutomaticBasicInput;
}>;


export type TallyGroupAutomaticDiscountCreateMutation = { discountAutomaticBasicCreate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyGroupAutomaticDiscountDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupAutomaticDiscountDeleteMutation = { discountAutomaticDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountAutomaticDeletePayload, 'deletedAutomaticDiscountId'>
    & { userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }
  )> };

export type TallyGroupDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type TallyGroupDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountCodeNode, 'id'>
    & { codeDiscount: (
      Pick<AdminTypes.DiscountCodeBasic, 'title' | 'endsAt'>
      & { context: { segments: Array<Pick<AdminTypes.Segment, 'id'>> }, customerGets: { value: { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } | Pick<AdminTypes.DiscountPercentage, 'percentage'> } }
    ) }
  )> };

export type TallyGroupDiscountTitleQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyGroupDiscountTitleQuery = { node?: AdminTypes.Maybe<{ automaticDiscount: Pick<AdminTypes.DiscountAutomaticBasic, 'title'> } | { codeDiscount: Pick<AdminTypes.DiscountCodeBasic, 'title'> }> };

export type TallyGroupDiscountRetitleMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type TallyGroupDiscountRetitleMutation = { discountCodeBasicUpdate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyGroupAutomaticDiscountRetitleMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountAutomaticBasicInput;
}>;


export type TallyGroupAutomaticDiscountRetitleMutation = { discountAutomaticBasicUpdate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyImportCustomerMutationVariables = AdminTypes.Exact<{
  identifier?: AdminTypes.InputMaybe<AdminTypes.CustomerSetIdentifiers>;
  input: AdminTypes.CustomerSetInput;
}>;


export type TallyImportCustomerMutation = { customerSet?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<(
      Pick<AdminTypes.Customer, 'id' | 'email' | 'firstName' | 'lastName' | 'phone' | 'state' | 'createdAt' | 'updatedAt' | 'tags'>
      & { defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'address1' | 'address2' | 'city' | 'province' | 'countryCodeV2' | 'zip'>> }
    )>, userErrors: Array<Pick<AdminTypes.CustomerSetUserError, 'field' | 'message' | 'code'>> }> };

export type TallyImportDefaultAddressMutationVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
  address: AdminTypes.MailingAddressInput;
}>;


export type TallyImportDefaultAddressMutation = { customerAddressCreate?: AdminTypes.Maybe<{ address?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'address1' | 'address2' | 'city' | 'province' | 'countryCodeV2' | 'zip'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyImportEmailConsentMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.CustomerEmailMarketingConsentUpdateInput;
}>;


export type TallyImportEmailConsentMutation = { customerEmailMarketingConsentUpdate?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, userErrors: Array<Pick<AdminTypes.CustomerEmailMarketingConsentUpdateUserError, 'field' | 'message' | 'code'>> }> };

export type TallyImportAccountInviteMutationVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyImportAccountInviteMutation = { customerSendAccountInviteEmail?: AdminTypes.Maybe<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id' | 'state'>>, userErrors: Array<Pick<AdminTypes.CustomerSendAccountInviteEmailUserError, 'field' | 'message' | 'code'>> }> };

export type TallyCustomerTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type TallyCustomerTagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.AnalyticsAnnotation, 'id'> | Pick<AdminTypes.AnalyticsTarget, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashDrawer, 'id'> | Pick<AdminTypes.CashManagementCustomReasonCode, 'id'> | Pick<AdminTypes.CashManagementDefaultReasonCode, 'id'> | Pick<AdminTypes.CashManagementSystemReasonCode, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfiguration, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfigurationOverride, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.CollectionConditionsSource, 'id'> | Pick<AdminTypes.CollectionSubCollectionsSource, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'> | Pick<AdminTypes.Customer, 'tags' | 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCashOutTransaction, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.IdentityProviderSubject, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.InventoryShipment, 'id'> | Pick<AdminTypes.InventoryShipmentLineItem, 'id'> | Pick<AdminTypes.InventoryTransfer, 'id'> | Pick<AdminTypes.InventoryTransferLineItem, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketRegionSubdivision, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderAttributionDefinition, 'id'> | Pick<AdminTypes.OrderCancelJobResult, 'id'> | Pick<AdminTypes.OrderCreateMandatePaymentJobResult, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderEditSession, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PointOfSaleDevice, 'id'> | Pick<AdminTypes.PointOfSaleDevicePaymentSession, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnReasonDefinition, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.ShippingLabel, 'id'> | Pick<AdminTypes.ShippingLabelPurchaseResult, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyCustomerTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type TallyCustomerTagsRemoveMutation = { tagsRemove?: AdminTypes.Maybe<{ node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.AnalyticsAnnotation, 'id'> | Pick<AdminTypes.AnalyticsTarget, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashDrawer, 'id'> | Pick<AdminTypes.CashManagementCustomReasonCode, 'id'> | Pick<AdminTypes.CashManagementDefaultReasonCode, 'id'> | Pick<AdminTypes.CashManagementSystemReasonCode, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfiguration, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfigurationOverride, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.CollectionConditionsSource, 'id'> | Pick<AdminTypes.CollectionSubCollectionsSource, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'> | Pick<AdminTypes.Customer, 'tags' | 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCashOutTransaction, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.IdentityProviderSubject, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.InventoryShipment, 'id'> | Pick<AdminTypes.InventoryShipmentLineItem, 'id'> | Pick<AdminTypes.InventoryTransfer, 'id'> | Pick<AdminTypes.InventoryTransferLineItem, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketRegionSubdivision, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderAttributionDefinition, 'id'> | Pick<AdminTypes.OrderCancelJobResult, 'id'> | Pick<AdminTypes.OrderCreateMandatePaymentJobResult, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderEditSession, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PointOfSaleDevice, 'id'> | Pick<AdminTypes.PointOfSaleDevicePaymentSession, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnReasonDefinition, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.ShippingLabel, 'id'> | Pick<AdminTypes.ShippingLabelPurchaseResult, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TallyPublishBalancesMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type TallyPublishBalancesMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type TallyAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyAppInstallationQuery = { currentAppInstallation: Pick<AdminTypes.AppInstallation, 'id'> };

export type TallyPublishProgramNamesMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type TallyPublishProgramNamesMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type TallyCustomerRecordFragment = (
  Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders' | 'taxExempt' | 'locale'>
  & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, lastOrder?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'processedAt'>> }
);

export type TallyReconcileCustomersQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileCustomersQuery = { customers: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders' | 'taxExempt' | 'locale'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, lastOrder?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'processedAt'>> }
    )> } };

export type TallyCustomerNowQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyCustomerNowQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders' | 'taxExempt' | 'locale'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, lastOrder?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'processedAt'>> }
  )> };

export type TallyReconcileOrdersQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileOrdersQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'name' | 'currencyCode' | 'taxesIncluded' | 'dutiesIncluded' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'cancelledAt' | 'processedAt' | 'updatedAt' | 'discountCodes'>
      & { subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, customer?: AdminTypes.Maybe<(
        Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
        & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
      )>, fulfillments: Array<Pick<AdminTypes.Fulfillment, 'createdAt'>>, refunds: Array<Pick<AdminTypes.Refund, 'id'>> }
    )> } };

export type TallyReconcileOrderLinesQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileOrderLinesQuery = { order?: AdminTypes.Maybe<{ currentTotalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, shippingLines: { nodes: Array<{ taxLines: Array<{ priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> }> }, lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'isGiftCard' | 'quantity'>
        & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }>, taxLines: Array<{ priceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }>, duties: Array<{ price: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> }
      )> } }> };

export type TallyReconcileRefundsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyReconcileRefundsQuery = { order?: AdminTypes.Maybe<{ refunds: Array<(
      Pick<AdminTypes.Refund, 'id'>
      & { duties?: AdminTypes.Maybe<Array<{ amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }>>, transactions: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
          Pick<AdminTypes.OrderTransaction, 'kind' | 'status'>
          & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )> }, refundLineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<{ lineItem: Pick<AdminTypes.LineItem, 'isGiftCard'>, subtotalSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> }, refundShippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<{ subtotalAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> } }
    )> }> };

export type TallyReconcileRefundTransactionsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileRefundTransactionsQuery = { node?: AdminTypes.Maybe<{ transactions: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
        Pick<AdminTypes.OrderTransaction, 'kind' | 'status'>
        & { amountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
      )> } }> };

export type TallyReconcileRefundLinesQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileRefundLinesQuery = { node?: AdminTypes.Maybe<{ refundLineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<{ lineItem: Pick<AdminTypes.LineItem, 'isGiftCard'>, subtotalSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalTaxSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> } }> };

export type TallyReconcileRefundShippingQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TallyReconcileRefundShippingQuery = { node?: AdminTypes.Maybe<{ refundShippingLines: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<{ subtotalAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, taxAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }> } }> };

export type TallyBulkCustomersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyBulkCustomersQuery = { customers: { edges: Array<{ node: (
        Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders' | 'taxExempt' | 'locale'>
        & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, lastOrder?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'processedAt'>> }
      ) }> } };

export type TallyBulkOrdersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyBulkOrdersQuery = { orders: { edges: Array<{ node: (
        Pick<AdminTypes.Order, 'id' | 'name' | 'currencyCode' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'cancelledAt' | 'processedAt' | 'updatedAt' | 'discountCodes'>
        & { subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, customer?: AdminTypes.Maybe<(
          Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
          & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
        )> }
      ) }> } };

export type TallyBulkCustomersWithOrdersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyBulkCustomersWithOrdersQuery = { customers: { edges: Array<{ node: (
        Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'state' | 'tags' | 'createdAt' | 'updatedAt' | 'numberOfOrders' | 'taxExempt' | 'locale'>
        & { orders: { edges: Array<{ node: (
              Pick<AdminTypes.Order, 'id' | 'name' | 'currencyCode' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'cancelledAt' | 'processedAt' | 'updatedAt' | 'discountCodes'>
              & { subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
            ) }> }, defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress' | 'marketingState' | 'marketingUpdatedAt'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city' | 'province' | 'countryCodeV2'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, lastOrder?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'processedAt'>> }
      ) }> } };

export type TallyProtectedDataProbeQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyProtectedDataProbeQuery = { customers: { nodes: Array<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, 'phoneNumber'>>, defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'city'>> }
    )> } };

export type TallyReferralDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type TallyReferralDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyReferralFreeShippingMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type TallyReferralFreeShippingMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyReferralDiscountDeactivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyReferralDiscountDeactivateMutation = { discountCodeDeactivate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyReferralDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type TallyReferralDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type TallyRewardDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type TallyRewardDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyRewardFreeShippingMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type TallyRewardFreeShippingMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type TallyRewardStoreCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  credit: AdminTypes.StoreCreditAccountCreditInput;
}>;


export type TallyRewardStoreCreditMutation = { storeCreditAccountCredit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'>
      & { account: { owner: { storeCreditAccounts: { nodes: Array<{ balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }> } } } }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountCreditUserError, 'field' | 'message' | 'code'>> }> };

export type TallyRewardByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type TallyRewardByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type TallyShopPostalAddressQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyShopPostalAddressQuery = { shop: { shopAddress: Pick<AdminTypes.ShopAddress, 'formatted'> } };

export type TallyShopFactsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyShopFactsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'currencyCode' | 'ianaTimezone'>
    & { currencyFormats: Pick<AdminTypes.CurrencyFormats, 'moneyFormat' | 'moneyWithCurrencyFormat'>, shopAddress: Pick<AdminTypes.ShopAddress, 'countryCodeV2'>, customerAccountsV2: Pick<AdminTypes.CustomerAccountsV2, 'customerAccountsVersion' | 'loginLinksVisibleOnStorefrontAndCheckout'> }
  ) };

export type TallyStorefrontRootsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type TallyStorefrontRootsQuery = { shop: { primaryDomain: Pick<AdminTypes.Domain, 'host'> }, webPresences?: AdminTypes.Maybe<{ nodes: Array<{ domain?: AdminTypes.Maybe<Pick<AdminTypes.Domain, 'host'>>, defaultLocale: Pick<AdminTypes.ShopLocale, 'locale'>, rootUrls: Array<Pick<AdminTypes.MarketWebPresenceRootUrl, 'locale' | 'url'>> }> }> };

export type TallyStoreCreditAccountsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type TallyStoreCreditAccountsQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id'>
    & { storeCreditAccounts: { nodes: Array<(
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, transactions: { nodes: Array<(
            { __typename: 'StoreCreditAccountCreditTransaction' }
            & Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'expiresAt' | 'createdAt' | 'event'>
            & { remainingAmount: Pick<AdminTypes.MoneyV2, 'amount'>, amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, origin?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'name'>> }> }
          ) | (
            { __typename: 'StoreCreditAccountDebitRevertTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id' | 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, origin?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'name'>> }> }
          ) | (
            { __typename: 'StoreCreditAccountDebitTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id' | 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, origin?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'name'>> }> }
          ) | (
            { __typename: 'StoreCreditAccountExpirationTransaction' }
            & Pick<AdminTypes.StoreCreditAccountExpirationTransaction, 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, origin?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'name'>> }> }
          )> } }
      )> } }
  )> };

export type TallyStoreCreditCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  creditInput: AdminTypes.StoreCreditAccountCreditInput;
}>;


export type TallyStoreCreditCreditMutation = { storeCreditAccountCredit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      { __typename: 'StoreCreditAccountCreditTransaction' }
      & Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'createdAt' | 'event' | 'expiresAt'>
      & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, remainingAmount: Pick<AdminTypes.MoneyV2, 'amount'>, account: (
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
      ) }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountCreditUserError, 'field' | 'message' | 'code'>> }> };

export type TallyStoreCreditDebitMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  debitInput: AdminTypes.StoreCreditAccountDebitInput;
}>;


export type TallyStoreCreditDebitMutation = { storeCreditAccountDebit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      { __typename: 'StoreCreditAccountDebitTransaction' }
      & Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id' | 'createdAt' | 'event'>
      & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, balanceAfterTransaction: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, account: (
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
      ) }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountDebitUserError, 'field' | 'message' | 'code'>> }> };

interface GeneratedQueryTypes {
  "#graphql\n  query TallyBulkMutationStatus($id: ID!) {\n    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }\n  }\n": {return: TallyBulkMutationStatusQuery, variables: TallyBulkMutationStatusQueryVariables},
  "#graphql\n  query TallyRecentBulkMutations($query: String!) {\n    bulkOperations(first: 10, reverse: true, sortKey: CREATED_AT, query: $query) {\n      nodes { id query }\n    }\n  }\n": {return: TallyRecentBulkMutationsQuery, variables: TallyRecentBulkMutationsQueryVariables},
  "#graphql\n  query TallyBulkStatus($id: ID!) {\n    bulkOperation(id: $id) { id status errorCode objectCount url }\n  }\n": {return: TallyBulkStatusQuery, variables: TallyBulkStatusQueryVariables},
  "#graphql\n  query TallyBulkCurrent {\n    currentBulkOperation(type: QUERY) { id status query }\n  }\n": {return: TallyBulkCurrentQuery, variables: TallyBulkCurrentQueryVariables},
  "#graphql\n  query TallyCustomerForEdit($id: ID!) {\n    customer(id: $id) {\n      id\n      firstName\n      lastName\n      taxExempt\n      tags\n      numberOfOrders\n      defaultEmailAddress { emailAddress marketingState }\n      defaultPhoneNumber { phoneNumber marketingState }\n    }\n  }\n": {return: TallyCustomerForEditQuery, variables: TallyCustomerForEditQueryVariables},
  "#graphql\n  query TallyGroupMembers($segmentId: ID!, $after: String) {\n    customerSegmentMembers(segmentId: $segmentId, first: 50, after: $after) {\n      totalCount\n      edges { node { id displayName defaultEmailAddress { emailAddress } numberOfOrders } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": {return: TallyGroupMembersQuery, variables: TallyGroupMembersQueryVariables},
  "#graphql\n  query TallyGroupSegmentExists($id: ID!) {\n    segment(id: $id) { id }\n  }\n": {return: TallyGroupSegmentExistsQuery, variables: TallyGroupSegmentExistsQueryVariables},
  "#graphql\n  query TallyGroupDiscountExists($id: ID!) {\n    node(id: $id) { id }\n  }\n": {return: TallyGroupDiscountExistsQuery, variables: TallyGroupDiscountExistsQueryVariables},
  "#graphql\n  query TallyGroupDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n      codeDiscount {\n        ... on DiscountCodeBasic {\n          title\n          endsAt\n          context { ... on DiscountCustomerSegments { segments { id } } }\n          customerGets {\n            value {\n              ... on DiscountPercentage { percentage }\n              ... on DiscountAmount { amount { amount currencyCode } }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: TallyGroupDiscountByCodeQuery, variables: TallyGroupDiscountByCodeQueryVariables},
  "#graphql\n  query TallyGroupDiscountTitle($id: ID!) {\n    node(id: $id) {\n      ... on DiscountCodeNode { codeDiscount { ... on DiscountCodeBasic { title } } }\n      ... on DiscountAutomaticNode { automaticDiscount { ... on DiscountAutomaticBasic { title } } }\n    }\n  }\n": {return: TallyGroupDiscountTitleQuery, variables: TallyGroupDiscountTitleQueryVariables},
  "#graphql\n  query TallyAppInstallation {\n    currentAppInstallation {\n      id\n    }\n  }\n": {return: TallyAppInstallationQuery, variables: TallyAppInstallationQueryVariables},
  "#graphql\n  query TallyReconcileCustomers($after: String, $query: String) {\n    customers(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes { ...TallyCustomerRecord }\n    }\n  }\n  #graphql\n  fragment TallyCustomerRecord on Customer {\n    id\n    firstName\n    lastName\n    state\n    tags\n    createdAt\n    updatedAt\n    defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }\n    defaultPhoneNumber { phoneNumber }\n    defaultAddress { city province countryCodeV2 }\n    numberOfOrders\n    amountSpent { amount currencyCode }\n    taxExempt\n    locale\n    lastOrder { processedAt }\n  }\n": {return: TallyReconcileCustomersQuery, variables: TallyReconcileCustomersQueryVariables},
  "#graphql\n  query TallyCustomerNow($id: ID!) {\n    customer(id: $id) { ...TallyCustomerRecord }\n  }\n  #graphql\n  fragment TallyCustomerRecord on Customer {\n    id\n    firstName\n    lastName\n    state\n    tags\n    createdAt\n    updatedAt\n    defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }\n    defaultPhoneNumber { phoneNumber }\n    defaultAddress { city province countryCodeV2 }\n    numberOfOrders\n    amountSpent { amount currencyCode }\n    taxExempt\n    locale\n    lastOrder { processedAt }\n  }\n": {return: TallyCustomerNowQuery, variables: TallyCustomerNowQueryVariables},
  "#graphql\n  query TallyReconcileOrders($after: String, $query: String) {\n    orders(first: 25, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        name\n        currencyCode\n        subtotalPriceSet { shopMoney { amount currencyCode } }\n        currentTotalPriceSet { shopMoney { amount currencyCode } }\n        totalPriceSet { shopMoney { amount currencyCode } }\n        taxesIncluded\n        dutiesIncluded\n        displayFinancialStatus\n        displayFulfillmentStatus\n        cancelledAt\n        processedAt\n        updatedAt\n        discountCodes\n        customer { id firstName lastName defaultEmailAddress { emailAddress } }\n        fulfillments(first: 1) { createdAt }\n        refunds { id }\n      }\n    }\n  }\n": {return: TallyReconcileOrdersQuery, variables: TallyReconcileOrdersQueryVariables},
  "#graphql\n  query TallyReconcileOrderLines($id: ID!, $after: String) {\n    order(id: $id) {\n      currentTotalTaxSet { shopMoney { amount currencyCode } }\n      shippingLines(first: 20) { nodes { taxLines { priceSet { shopMoney { amount currencyCode } } } } }\n      lineItems(first: 50, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        nodes {\n          id\n          isGiftCard\n          quantity\n          originalUnitPriceSet { shopMoney { amount currencyCode } }\n          discountAllocations { allocatedAmountSet { shopMoney { amount currencyCode } } }\n          taxLines { priceSet { shopMoney { amount currencyCode } } }\n          duties { price { shopMoney { amount currencyCode } } }\n        }\n      }\n    }\n  }\n": {return: TallyReconcileOrderLinesQuery, variables: TallyReconcileOrderLinesQueryVariables},
  "#graphql\n  query TallyReconcileRefunds($id: ID!) {\n    order(id: $id) {\n      refunds {\n        id\n        duties { amountSet { shopMoney { amount currencyCode } } }\n        transactions(first: 20) {\n          pageInfo { hasNextPage endCursor }\n          nodes { kind status amountSet { shopMoney { amount currencyCode } } }\n        }\n        refundLineItems(first: 50) {\n          pageInfo { hasNextPage endCursor }\n          nodes {\n            lineItem { isGiftCard }\n            subtotalSet { shopMoney { amount currencyCode } }\n            totalTaxSet { shopMoney { amount currencyCode } }\n          }\n        }\n        refundShippingLines(first: 10) {\n          pageInfo { hasNextPage endCursor }\n          nodes {\n            subtotalAmountSet { shopMoney { amount currencyCode } }\n            taxAmountSet { shopMoney { amount currencyCode } }\n          }\n        }\n      }\n    }\n  }\n": {return: TallyReconcileRefundsQuery, variables: TallyReconcileRefundsQueryVariables},
  "#graphql\n  query TallyReconcileRefundTransactions($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Refund {\n        transactions(first: 20, after: $after) {\n          pageInfo { hasNextPage endCursor }\n          nodes { kind status amountSet { shopMoney { amount currencyCode } } }\n        }\n      }\n    }\n  }\n": {return: TallyReconcileRefundTransactionsQuery, variables: TallyReconcileRefundTransactionsQueryVariables},
  "#graphql\n  query TallyReconcileRefundLines($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Refund {\n        refundLineItems(first: 50, after: $after) {\n          pageInfo { hasNextPage endCursor }\n          nodes {\n            lineItem { isGiftCard }\n            subtotalSet { shopMoney { amount currencyCode } }\n            totalTaxSet { shopMoney { amount currencyCode } }\n          }\n        }\n      }\n    }\n  }\n": {return: TallyReconcileRefundLinesQuery, variables: TallyReconcileRefundLinesQueryVariables},
  "#graphql\n  query TallyReconcileRefundShipping($id: ID!, $after: String) {\n    node(id: $id) {\n      ... on Refund {\n        refundShippingLines(first: 10, after: $after) {\n          pageInfo { hasNextPage endCursor }\n          nodes {\n            subtotalAmountSet { shopMoney { amount currencyCode } }\n            taxAmountSet { shopMoney { amount currencyCode } }\n          }\n        }\n      }\n    }\n  }\n": {return: TallyReconcileRefundShippingQuery, variables: TallyReconcileRefundShippingQueryVariables},
  "#graphql\n  query TallyBulkCustomers {\n    customers {\n      edges {\n        node { ...TallyCustomerRecord }\n      }\n    }\n  }\n  #graphql\n  fragment TallyCustomerRecord on Customer {\n    id\n    firstName\n    lastName\n    state\n    tags\n    createdAt\n    updatedAt\n    defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }\n    defaultPhoneNumber { phoneNumber }\n    defaultAddress { city province countryCodeV2 }\n    numberOfOrders\n    amountSpent { amount currencyCode }\n    taxExempt\n    locale\n    lastOrder { processedAt }\n  }\n": {return: TallyBulkCustomersQuery, variables: TallyBulkCustomersQueryVariables},
  "#graphql\n  query TallyBulkOrders {\n    orders {\n      edges {\n        node {\n          id\n          name\n          currencyCode\n          subtotalPriceSet { shopMoney { amount currencyCode } }\n          currentTotalPriceSet { shopMoney { amount currencyCode } }\n          displayFinancialStatus\n          displayFulfillmentStatus\n          cancelledAt\n          processedAt\n          updatedAt\n          discountCodes\n          customer { id firstName lastName defaultEmailAddress { emailAddress } }\n        }\n      }\n    }\n  }\n": {return: TallyBulkOrdersQuery, variables: TallyBulkOrdersQueryVariables},
  "#graphql\n  query TallyBulkCustomersWithOrders {\n    customers {\n      edges {\n        node {\n          ...TallyCustomerRecord\n          orders {\n            edges {\n              node {\n                id\n                name\n                currencyCode\n                subtotalPriceSet { shopMoney { amount currencyCode } }\n                currentTotalPriceSet { shopMoney { amount currencyCode } }\n                displayFinancialStatus\n                displayFulfillmentStatus\n                cancelledAt\n                processedAt\n                updatedAt\n                discountCodes\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n  #graphql\n  fragment TallyCustomerRecord on Customer {\n    id\n    firstName\n    lastName\n    state\n    tags\n    createdAt\n    updatedAt\n    defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }\n    defaultPhoneNumber { phoneNumber }\n    defaultAddress { city province countryCodeV2 }\n    numberOfOrders\n    amountSpent { amount currencyCode }\n    taxExempt\n    locale\n    lastOrder { processedAt }\n  }\n": {return: TallyBulkCustomersWithOrdersQuery, variables: TallyBulkCustomersWithOrdersQueryVariables},
  "#graphql\n  query TallyProtectedDataProbe {\n    customers(first: 1) {\n      nodes {\n        id\n        firstName\n        lastName\n        defaultEmailAddress { emailAddress }\n        defaultPhoneNumber { phoneNumber }\n        defaultAddress { city }\n      }\n    }\n  }\n": {return: TallyProtectedDataProbeQuery, variables: TallyProtectedDataProbeQueryVariables},
  "#graphql\n  query TallyReferralDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) { id }\n  }\n": {return: TallyReferralDiscountByCodeQuery, variables: TallyReferralDiscountByCodeQueryVariables},
  "#graphql\n  query TallyRewardByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) { id }\n  }\n": {return: TallyRewardByCodeQuery, variables: TallyRewardByCodeQueryVariables},
  "#graphql\n  query TallyShopPostalAddress {\n    shop {\n      shopAddress {\n        formatted(withCompany: true)\n      }\n    }\n  }\n": {return: TallyShopPostalAddressQuery, variables: TallyShopPostalAddressQueryVariables},
  "#graphql\n  query TallyShopFacts {\n    shop {\n      name\n      currencyCode\n      ianaTimezone\n      currencyFormats { moneyFormat moneyWithCurrencyFormat }\n      shopAddress { countryCodeV2 }\n      customerAccountsV2 { customerAccountsVersion loginLinksVisibleOnStorefrontAndCheckout }\n    }\n  }\n": {return: TallyShopFactsQuery, variables: TallyShopFactsQueryVariables},
  "#graphql\n  query TallyStorefrontRoots {\n    shop { primaryDomain { host } }\n    webPresences(first: 25) {\n      nodes {\n        domain { host }\n        defaultLocale { locale }\n        rootUrls { locale url }\n      }\n    }\n  }\n": {return: TallyStorefrontRootsQuery, variables: TallyStorefrontRootsQueryVariables},
  "#graphql\n  query TallyStoreCreditAccounts($id: ID!) {\n    customer(id: $id) {\n      id\n      storeCreditAccounts(first: 5) {\n        nodes {\n          id\n          balance { amount currencyCode }\n          transactions(first: 25, sortKey: CREATED_AT, reverse: true) {\n            nodes {\n              __typename\n              amount { amount currencyCode }\n              balanceAfterTransaction { amount currencyCode }\n              createdAt\n              event\n              ... on StoreCreditAccountCreditTransaction { id expiresAt remainingAmount { amount } }\n              ... on StoreCreditAccountDebitTransaction { id }\n              ... on StoreCreditAccountDebitRevertTransaction { id }\n              origin { ... on OrderTransaction { order { name } } }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: TallyStoreCreditAccountsQuery, variables: TallyStoreCreditAccountsQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation TallyStageBulkVariables($input: [StagedUploadInput!]!) {\n    stagedUploadsCreate(input: $input) {\n      stagedTargets { url resourceUrl parameters { name value } }\n      userErrors { field message }\n    }\n  }\n": {return: TallyStageBulkVariablesMutation, variables: TallyStageBulkVariablesMutationVariables},
  "#graphql\n  mutation TallyBulkMutationRun($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {\n    bulkOperationRunMutation(\n      mutation: $mutation\n      stagedUploadPath: $stagedUploadPath\n      clientIdentifier: $clientIdentifier\n    ) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyBulkMutationRunMutation, variables: TallyBulkMutationRunMutationVariables},
  "#graphql\n  mutation TallyBulkRun($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }\n": {return: TallyBulkRunMutation, variables: TallyBulkRunMutationVariables},
  "#graphql\n  mutation TallyCustomerUpdate($input: CustomerInput!) {\n    customerUpdate(input: $input) {\n      customer {\n        id\n        firstName\n        lastName\n        state\n        tags\n        createdAt\n        updatedAt\n        defaultEmailAddress { emailAddress }\n        defaultPhoneNumber { phoneNumber }\n        defaultAddress { city province countryCodeV2 }\n        numberOfOrders\n        amountSpent { amount currencyCode }\n      }\n      userErrors { field message }\n    }\n  }\n": {return: TallyCustomerUpdateMutation, variables: TallyCustomerUpdateMutationVariables},
  "#graphql\n  mutation TallyCustomerEmailConsent($input: CustomerEmailMarketingConsentUpdateInput!) {\n    customerEmailMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyCustomerEmailConsentMutation, variables: TallyCustomerEmailConsentMutationVariables},
  "#graphql\n  mutation TallyCustomerSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {\n    customerSmsMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyCustomerSmsConsentMutation, variables: TallyCustomerSmsConsentMutationVariables},
  "#graphql\n  mutation TallyCustomerDelete($input: CustomerDeleteInput!) {\n    customerDelete(input: $input) {\n      deletedCustomerId\n      userErrors { field message }\n    }\n  }\n": {return: TallyCustomerDeleteMutation, variables: TallyCustomerDeleteMutationVariables},
  "#graphql\n  mutation TallyCustomerRequestDataErasure($customerId: ID!) {\n    customerRequestDataErasure(customerId: $customerId) {\n      customerId\n      userErrors { field message code }\n    }\n  }\n": {return: TallyCustomerRequestDataErasureMutation, variables: TallyCustomerRequestDataErasureMutationVariables},
  "#graphql\n  mutation TallyGroupSegmentCreate($name: String!, $query: String!) {\n    segmentCreate(name: $name, query: $query) {\n      segment { id name query }\n      userErrors { field message }\n    }\n  }\n": {return: TallyGroupSegmentCreateMutation, variables: TallyGroupSegmentCreateMutationVariables},
  "#graphql\n  mutation TallyGroupSegmentUpdate($id: ID!, $name: String, $query: String) {\n    segmentUpdate(id: $id, name: $name, query: $query) {\n      segment { id name query }\n      userErrors { field message }\n    }\n  }\n": {return: TallyGroupSegmentUpdateMutation, variables: TallyGroupSegmentUpdateMutationVariables},
  "#graphql\n  mutation TallyGroupSegmentDelete($id: ID!) {\n    segmentDelete(id: $id) {\n      deletedSegmentId\n      userErrors { field message }\n    }\n  }\n": {return: TallyGroupSegmentDeleteMutation, variables: TallyGroupSegmentDeleteMutationVariables},
  "#graphql\n  mutation TallyGroupDiscountCreate($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupDiscountCreateMutation, variables: TallyGroupDiscountCreateMutationVariables},
  "#graphql\n  mutation TallyGroupDiscountDelete($id: ID!) {\n    discountCodeDelete(id: $id) {\n      deletedCodeDiscountId\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupDiscountDeleteMutation, variables: TallyGroupDiscountDeleteMutationVariables},
  "#graphql\n  mutation TallyGroupAutomaticDiscountCreate($discount: DiscountAutomaticBasicInput!) {\n    discountAutomaticBasicCreate(automaticBasicDiscount: $discount) {\n      automaticDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupAutomaticDiscountCreateMutation, variables: TallyGroupAutomaticDiscountCreateMutationVariables},
  "#graphql\n  mutation TallyGroupAutomaticDiscountDelete($id: ID!) {\n    discountAutomaticDelete(id: $id) {\n      deletedAutomaticDiscountId\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupAutomaticDiscountDeleteMutation, variables: TallyGroupAutomaticDiscountDeleteMutationVariables},
  "#graphql\n  mutation TallyGroupDiscountRetitle($id: ID!, $discount: DiscountCodeBasicInput!) {\n    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupDiscountRetitleMutation, variables: TallyGroupDiscountRetitleMutationVariables},
  "#graphql\n  mutation TallyGroupAutomaticDiscountRetitle($id: ID!, $discount: DiscountAutomaticBasicInput!) {\n    discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $discount) {\n      automaticDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyGroupAutomaticDiscountRetitleMutation, variables: TallyGroupAutomaticDiscountRetitleMutationVariables},
  "#graphql\n  mutation TallyImportCustomer($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {\n    customerSet(identifier: $identifier, input: $input) {\n      customer {\n        id email firstName lastName phone state createdAt updatedAt tags\n        defaultAddress { address1 address2 city province countryCodeV2 zip }\n      }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyImportCustomerMutation, variables: TallyImportCustomerMutationVariables},
  "#graphql\n  mutation TallyImportDefaultAddress($customerId: ID!, $address: MailingAddressInput!) {\n    customerAddressCreate(customerId: $customerId, address: $address, setAsDefault: true) {\n      address { address1 address2 city province countryCodeV2 zip }\n      userErrors { field message }\n    }\n  }\n": {return: TallyImportDefaultAddressMutation, variables: TallyImportDefaultAddressMutationVariables},
  "#graphql\n  mutation TallyImportEmailConsent($input: CustomerEmailMarketingConsentUpdateInput!) {\n    customerEmailMarketingConsentUpdate(input: $input) {\n      customer { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyImportEmailConsentMutation, variables: TallyImportEmailConsentMutationVariables},
  "#graphql\n  mutation TallyImportAccountInvite($customerId: ID!) {\n    customerSendAccountInviteEmail(customerId: $customerId) {\n      customer { id state }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyImportAccountInviteMutation, variables: TallyImportAccountInviteMutationVariables},
  "#graphql\n  mutation TallyCustomerTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      node { id ... on Customer { tags } }\n      userErrors { field message }\n    }\n  }\n": {return: TallyCustomerTagsAddMutation, variables: TallyCustomerTagsAddMutationVariables},
  "#graphql\n  mutation TallyCustomerTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      node { id ... on Customer { tags } }\n      userErrors { field message }\n    }\n  }\n": {return: TallyCustomerTagsRemoveMutation, variables: TallyCustomerTagsRemoveMutationVariables},
  "#graphql\n  mutation TallyPublishBalances($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyPublishBalancesMutation, variables: TallyPublishBalancesMutationVariables},
  "#graphql\n  mutation TallyPublishProgramNames($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: TallyPublishProgramNamesMutation, variables: TallyPublishProgramNamesMutationVariables},
  "#graphql\n  mutation TallyReferralDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyReferralDiscountMutation, variables: TallyReferralDiscountMutationVariables},
  "#graphql\n  mutation TallyReferralFreeShipping($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyReferralFreeShippingMutation, variables: TallyReferralFreeShippingMutationVariables},
  "#graphql\n  mutation TallyReferralDiscountDeactivate($id: ID!) {\n    discountCodeDeactivate(id: $id) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyReferralDiscountDeactivateMutation, variables: TallyReferralDiscountDeactivateMutationVariables},
  "#graphql\n  mutation TallyRewardDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyRewardDiscountMutation, variables: TallyRewardDiscountMutationVariables},
  "#graphql\n  mutation TallyRewardFreeShipping($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyRewardFreeShippingMutation, variables: TallyRewardFreeShippingMutationVariables},
  "#graphql\n  mutation TallyRewardStoreCredit($id: ID!, $credit: StoreCreditAccountCreditInput!) {\n    storeCreditAccountCredit(id: $id, creditInput: $credit) {\n      storeCreditAccountTransaction {\n        id\n        account { owner { storeCreditAccounts(first: 5) { nodes { balance { amount currencyCode } } } } }\n      }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyRewardStoreCreditMutation, variables: TallyRewardStoreCreditMutationVariables},
  "#graphql\n  mutation TallyStoreCreditCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {\n    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {\n      storeCreditAccountTransaction {\n        __typename\n        id\n        amount { amount currencyCode }\n        balanceAfterTransaction { amount currencyCode }\n        createdAt\n        event\n        expiresAt\n        remainingAmount { amount }\n        account { id balance { amount currencyCode } }\n      }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyStoreCreditCreditMutation, variables: TallyStoreCreditCreditMutationVariables},
  "#graphql\n  mutation TallyStoreCreditDebit($id: ID!, $debitInput: StoreCreditAccountDebitInput!) {\n    storeCreditAccountDebit(id: $id, debitInput: $debitInput) {\n      storeCreditAccountTransaction {\n        __typename\n        id\n        amount { amount currencyCode }\n        balanceAfterTransaction { amount currencyCode }\n        createdAt\n        event\n        account { id balance { amount currencyCode } }\n      }\n      userErrors { field message code }\n    }\n  }\n": {return: TallyStoreCreditDebitMutation, variables: TallyStoreCreditDebitMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
