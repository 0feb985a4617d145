/** What every view may use: the signed-in user, the feed on the page (if any) and navigation. */
import type { Label, Me } from './api.js';
import type { PageRoute } from './route.js';

export interface Ctx {
  me: Me;
  /** analysts and admins may label and manage cases */
  canWrite: boolean;
  go(hash: string): void;
  route(): PageRoute;
  /** a label was stored: every view that shows the application updates */
  labelled(applicationId: string, label: Label): void;
}
