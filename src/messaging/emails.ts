/** Emails of real-time messaging (urgent alerts and digests) in en, es, pt, fr. */
import type { MailTemplate } from '../mail/render.ts';

/** TLP:CLEAR / GREEN: the text itself may travel by email. */
export const urgentClear: MailTemplate = {
  subject: {
    en: '[URGENT] {tlp} {channel}: {snippet}',
    es: '[URGENTE] {tlp} {channel}: {snippet}',
    pt: '[URGENTE] {tlp} {channel}: {snippet}',
    fr: '[URGENT] {tlp} {channel} : {snippet}',
  },
  text: {
    en: '{tlp}\n\nUrgent message from {author} ({org}) in "{channel}":\n\n{body}\n\nReply in Hemisphere:\n{link}\n',
    es: '{tlp}\n\nMensaje urgente de {author} ({org}) en "{channel}":\n\n{body}\n\nResponda en Hemisphere:\n{link}\n',
    pt: '{tlp}\n\nMensagem urgente de {author} ({org}) em "{channel}":\n\n{body}\n\nResponda no Hemisphere:\n{link}\n',
    fr: '{tlp}\n\nMessage urgent de {author} ({org}) dans « {channel} » :\n\n{body}\n\nRépondez dans Hemisphere :\n{link}\n',
  },
};

/** AMBER and above, recipient with a key: the same text, then OpenPGP-encrypted as a whole. */
export const urgentEncryptedSubject: MailTemplate['subject'] = {
  en: '[URGENT] {tlp} message in {channel} (encrypted)',
  es: '[URGENTE] Mensaje {tlp} en {channel} (cifrado)',
  pt: '[URGENTE] Mensagem {tlp} em {channel} (cifrada)',
  fr: '[URGENT] Message {tlp} dans {channel} (chiffré)',
};

/** AMBER and above without a key (and every TLP:RED alert): only a notice with a link. */
export const urgentNotice: MailTemplate = {
  subject: {
    en: '[URGENT] {tlp} message in {channel}',
    es: '[URGENTE] Mensaje {tlp} en {channel}',
    pt: '[URGENTE] Mensagem {tlp} em {channel}',
    fr: '[URGENT] Message {tlp} dans {channel}',
  },
  text: {
    en: '{author} ({org}) marked a {tlp} message in "{channel}" as urgent.\nIts content is not sent by unencrypted email. Read it in Hemisphere:\n{link}\n\nTo receive such alerts encrypted, publish an OpenPGP key for this address in the directory.\n',
    es: '{author} ({org}) marcó como urgente un mensaje {tlp} en "{channel}".\nSu contenido no se envía por correo sin cifrar. Léalo en Hemisphere:\n{link}\n\nPara recibir estas alertas cifradas, publique una clave OpenPGP para esta dirección en el directorio.\n',
    pt: '{author} ({org}) marcou como urgente uma mensagem {tlp} em "{channel}".\nO conteúdo não é enviado por e-mail não cifrado. Leia-a no Hemisphere:\n{link}\n\nPara receber estes alertas cifrados, publique uma chave OpenPGP para este endereço no diretório.\n',
    fr: '{author} ({org}) a marqué comme urgent un message {tlp} dans « {channel} ».\nSon contenu n’est pas envoyé par courriel non chiffré. Lisez-le dans Hemisphere :\n{link}\n\nPour recevoir ces alertes chiffrées, publiez une clé OpenPGP pour cette adresse dans l’annuaire.\n',
  },
};

export const digest: MailTemplate = {
  subject: {
    en: 'Hemisphere: {count} new messages in your channels',
    es: 'Hemisphere: {count} mensajes nuevos en sus canales',
    pt: 'Hemisphere: {count} novas mensagens nos seus canais',
    fr: 'Hemisphere : {count} nouveaux messages dans vos canaux',
  },
  text: {
    en: 'While you were away:\n\n{items}\n\nOpen Hemisphere:\n{link}\n\nChange how often you get this digest in your messaging settings.\n',
    es: 'Mientras estaba ausente:\n\n{items}\n\nAbra Hemisphere:\n{link}\n\nCambie la frecuencia de este resumen en sus preferencias de mensajería.\n',
    pt: 'Enquanto esteve ausente:\n\n{items}\n\nAbra o Hemisphere:\n{link}\n\nAltere a frequência deste resumo nas suas preferências de mensagens.\n',
    fr: 'Pendant votre absence :\n\n{items}\n\nOuvrez Hemisphere :\n{link}\n\nModifiez la fréquence de ce résumé dans vos préférences de messagerie.\n',
  },
};

/** One digest line for a message whose TLP keeps its text out of email. */
export const withheld: Record<'en' | 'es' | 'pt' | 'fr', string> = {
  en: '(content not sent by email — open it in Hemisphere)',
  es: '(contenido no enviado por correo — ábralo en Hemisphere)',
  pt: '(conteúdo não enviado por e-mail — abra-o no Hemisphere)',
  fr: '(contenu non envoyé par courriel — ouvrez-le dans Hemisphere)',
};
