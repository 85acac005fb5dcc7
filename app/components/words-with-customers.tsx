import { Link } from "@shopify/polaris";
import { Fragment } from "react";
import type { WordsPart } from "~/domain/background-jobs";

/** A sentence whose customers are links to their profiles (the domain's WordsPart: words, or a customer named). */
export function WordsWithCustomers({ parts }: { parts: readonly WordsPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        typeof part === "string" ? (
          <Fragment key={index}>{part}</Fragment>
        ) : (
          <Link key={index} url={`/app/customers/${part.customerId}`}>
            {part.name}
          </Link>
        ),
      )}
    </>
  );
}
