/** Where a unit goes back: the customer's return address on one line, for emails and the staff page. */
export function returnAddressOf(request: {
  returnStreet: string;
  returnPostalCode: string;
  returnCity: string;
  returnCountry: string;
}): string {
  return `${request.returnStreet}, ${request.returnPostalCode} ${request.returnCity}, ${request.returnCountry}`;
}

/** Where customers send their units: one address for the printed label, the emails and the pages. */
export const RECEIVING_LINES = ["Alkeria S.r.l. — RMA", "Via Giuntini, 25 int. 36", "I-56021 Navacchio (PI)", "ITALY"] as const;

/** The street address on one line (the company named elsewhere in the text). */
export const RECEIVING_ADDRESS = RECEIVING_LINES.slice(1).join(" - ");
