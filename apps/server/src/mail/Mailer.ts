import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

/** Outgoing mail over SMTP (SMTP_URL), for invitations; without it the UI shows links to copy. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly from = 'Debrief <no-reply@debrief.invalid>',
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
    // The address only: the message holds a link that is as good as an invitation.
    this.logger.info({ to: message.to }, 'mail sent');
  }
}
