import { formatMinor, toMinor, type CurrencyCode } from "~/domain/shared";
import { StoreCreditShort } from "~/domain/store-credit";
import type {
  StoreCreditAccountView,
  StoreCreditShopify,
  StoreCreditTransactionView,
} from "~/services/store-credit/store-credit.server";
import {
  adminRequest,
  shopifyCurrency,
  ShopifyUserErrors,
  type AdminGraphql,
  type ShopifyUserError,
} from "./graphql.server";

// A customer's store credit lives in Shopify: one account per currency, Shopify's balance and history. Tally issues
// and deducts through storeCreditAccountCredit / storeCreditAccountDebit and reads the accounts back (decision 027).

const STORE_CREDIT_ACCOUNTS = `#graphql
  query TallyStoreCreditAccounts($id: ID!) {
    customer(id: $id) {
      id
      storeCreditAccounts(first: 5) {
        nodes {
          id
          balance { amount currencyCode }
          transactions(first: 25, sortKey: CREATED_AT, reverse: true) {
            nodes {
              __typename
              amount { amount currencyCode }
              balanceAfterTransaction { amount currencyCode }
              createdAt
              event
              ... on StoreCreditAccountCreditTransaction { id expiresAt remainingAmount { amount } }
              ... on StoreCreditAccountDebitTransaction { id }
              ... on StoreCreditAccountDebitRevertTransaction { id }
              origin { ... on OrderTransaction { order { name } } }
            }
          }
        }
      }
    }
  }
`;

const STORE_CREDIT_CREDIT = `#graphql
  mutation TallyStoreCreditCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        __typename
        id
        amount { amount currencyCode }
        balanceAfterTransaction { amount currencyCode }
        createdAt
        event
        expiresAt
        remainingAmount { amount }
        account { id balance { amount currencyCode } }
      }
      userErrors { field message code }
    }
  }
`;

const STORE_CREDIT_DEBIT = `#graphql
  mutation TallyStoreCreditDebit($id: ID!, $debitInput: StoreCreditAccountDebitInput!) {
    storeCreditAccountDebit(id: $id, debitInput: $debitInput) {
      storeCreditAccountTransaction {
        __typename
        id
        amount { amount currencyCode }
        balanceAfterTransaction { amount currencyCode }
        createdAt
        event
        account { id balance { amount currencyCode } }
      }
      userErrors { field message code }
    }
  }
`;

/** The store credit form's field a Shopify user error names: the amount, the currency or the expiry. */
function formFieldOf(field: readonly string[] | null | undefined): string | undefined {
  const path = field ?? [];
  if (path.includes("currencyCode")) return "currency";
  if (path.includes("amount") || path.includes("creditAmount") || path.includes("debitAmount")) return "amount";
  if (path.includes("expiresAt")) return "expiresOn";
  return undefined;
}

/** Shopify's refusal on the form's fields; a deduction past the balance as StoreCreditShort, for the service to word. */
function refused(operation: string, userErrors: readonly ShopifyUserError[]): never {
  const fieldErrors: Record<string, string[]> = {};
  for (const userError of userErrors)
    (fieldErrors[formFieldOf(userError.field) ?? "amount"] ??= []).push(userError.message);
  const refusal = new ShopifyUserErrors(operation, userErrors, fieldErrors);
  if (userErrors.some((error) => error.code === "INSUFFICIENT_FUNDS"))
    throw new StoreCreditShort(refusal.message, refusal.details);
  throw refusal;
}

interface TransactionNode {
  __typename: string;
  id?: string;
  amount: { amount: string; currencyCode: string };
  balanceAfterTransaction: { amount: string; currencyCode: string };
  createdAt: string;
  event: string;
  expiresAt?: string | null;
  remainingAmount?: { amount: string };
  origin?: { order?: { name: string } | null } | null;
}

const kindOf = (typename: string): StoreCreditTransactionView["kind"] =>
  typename === "StoreCreditAccountCreditTransaction"
    ? "credit"
    : typename === "StoreCreditAccountExpirationTransaction"
      ? "expiration"
      : typename === "StoreCreditAccountDebitRevertTransaction"
        ? "debit_revert"
        : "debit";

function transactionOf(node: TransactionNode): StoreCreditTransactionView {
  const currency = node.amount.currencyCode as CurrencyCode;
  return {
    transactionGid: node.id ?? null,
    kind: kindOf(node.__typename),
    amountMinor: toMinor(node.amount.amount, currency),
    currency,
    balanceAfterMinor: toMinor(node.balanceAfterTransaction.amount, currency),
    createdAt: node.createdAt,
    event: node.event,
    expiresAt: node.expiresAt ?? null,
    remainingMinor: node.remainingAmount ? toMinor(node.remainingAmount.amount, currency) : null,
    orderName: node.origin?.order?.name ?? null,
  };
}

/** Reads a customer's store credit accounts and changes them, for the profile's Store credit card. */
export function shopifyStoreCredit(graphql: AdminGraphql): StoreCreditShopify {
  return {
    async accounts(customerGid): Promise<StoreCreditAccountView[] | null> {
      const { customer } = await adminRequest(graphql, STORE_CREDIT_ACCOUNTS, { variables: { id: customerGid } });
      if (!customer) return null;
      return customer.storeCreditAccounts.nodes.map((account) => {
        const currency = account.balance.currencyCode as CurrencyCode;
        return {
          accountGid: account.id,
          currency,
          balanceMinor: toMinor(account.balance.amount, currency),
          transactions: account.transactions.nodes.map((node) => transactionOf(node as TransactionNode)),
        };
      });
    },
    async credit(customerGid, { amountMinor, currency, expiresAt }) {
      const { storeCreditAccountCredit: answer } = await adminRequest(graphql, STORE_CREDIT_CREDIT, {
        variables: {
          id: customerGid,
          creditInput: {
            creditAmount: { amount: formatMinor(amountMinor, currency), currencyCode: shopifyCurrency(currency) },
            expiresAt,
          },
        },
      });
      if (!answer?.storeCreditAccountTransaction || answer.userErrors.length)
        refused("storeCreditAccountCredit", answer?.userErrors ?? []);
      const transaction = answer.storeCreditAccountTransaction;
      return {
        accountGid: transaction.account.id,
        accountBalanceMinor: toMinor(transaction.account.balance.amount, currency),
        transaction: transactionOf(transaction as TransactionNode),
      };
    },
    async debit(customerGid, { amountMinor, currency }) {
      const { storeCreditAccountDebit: answer } = await adminRequest(graphql, STORE_CREDIT_DEBIT, {
        variables: {
          id: customerGid,
          debitInput: {
            debitAmount: { amount: formatMinor(amountMinor, currency), currencyCode: shopifyCurrency(currency) },
          },
        },
      });
      if (!answer?.storeCreditAccountTransaction || answer.userErrors.length)
        refused("storeCreditAccountDebit", answer?.userErrors ?? []);
      const transaction = answer.storeCreditAccountTransaction;
      return {
        accountGid: transaction.account.id,
        accountBalanceMinor: toMinor(transaction.account.balance.amount, currency),
        transaction: transactionOf(transaction as TransactionNode),
      };
    },
  };
}
