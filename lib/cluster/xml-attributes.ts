// SPDX-License-Identifier: Apache-2.0
// Pacemaker's XML (crm_mon, cibadmin, stonith_admin) is read for a few attributes of a few
// elements, on paths (the image guard at every start) where a whole parse would cost more.

const entities: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** The attributes in the text of a start tag (`name="node2" online="true"`), entities decoded. */
export function xmlAttributes(tagText: string): Map<string, string> {
  return new Map(
    [...tagText.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [
      a[1] ?? '',
      (a[2] ?? '').replace(/&(?:quot|apos|lt|gt|amp);/g, (e) => entities[e] ?? e),
    ]),
  );
}
