/** Emails of the directory (contact checks, expiring keys, stale entries) in en, es, pt, fr. */
import type { MailTemplate } from '../mail/render.ts';

export const contactCheckRequest: MailTemplate = {
  subject: {
    en: 'Hemisphere: please confirm your contact details for {team}',
    es: 'Hemisphere: confirme sus datos de contacto para {team}',
    pt: 'Hemisphere: confirme os seus dados de contacto para {team}',
    fr: 'Hemisphere : veuillez confirmer vos coordonnées pour {team}',
  },
  text: {
    en: 'The hub is checking that the contacts of the CSIRT directory are reachable.\n\nYou are listed as "{name}" ({function}) for {team}. Please confirm by opening this link before {deadline}:\n{link}\n\nIf this address should no longer be listed, tell your team administrator.\n',
    es: 'El hub verifica que los contactos del directorio de CSIRT sean localizables.\n\nUsted figura como "{name}" ({function}) para {team}. Confirme abriendo este enlace antes del {deadline}:\n{link}\n\nSi esta dirección ya no debe figurar, avise al administrador de su equipo.\n',
    pt: 'O hub está a verificar que os contactos do diretório de CSIRT estão acessíveis.\n\nEstá listado como "{name}" ({function}) para {team}. Confirme abrindo este link antes de {deadline}:\n{link}\n\nSe este endereço já não deve constar, avise o administrador da sua equipa.\n',
    fr: "Le hub vérifie que les contacts de l'annuaire des CSIRT sont joignables.\n\nVous êtes inscrit comme « {name} » ({function}) pour {team}. Confirmez en ouvrant ce lien avant le {deadline} :\n{link}\n\nSi cette adresse ne doit plus figurer, prévenez l'administrateur de votre équipe.\n",
  },
};

export const keyExpiring: MailTemplate = {
  subject: {
    en: 'Hemisphere: the OpenPGP key {fingerprint} of {team} expires on {date}',
    es: 'Hemisphere: la clave OpenPGP {fingerprint} de {team} caduca el {date}',
    pt: 'Hemisphere: a chave OpenPGP {fingerprint} de {team} expira em {date}',
    fr: 'Hemisphere : la clé OpenPGP {fingerprint} de {team} expire le {date}',
  },
  text: {
    en: 'The OpenPGP key {fingerprint} ({userIds}) published in the directory for {team} expires on {date}.\nExtend its expiry or upload a new key:\n{link}\n',
    es: 'La clave OpenPGP {fingerprint} ({userIds}) publicada en el directorio para {team} caduca el {date}.\nExtienda su validez o suba una clave nueva:\n{link}\n',
    pt: 'A chave OpenPGP {fingerprint} ({userIds}) publicada no diretório para {team} expira em {date}.\nProlongue a validade ou carregue uma nova chave:\n{link}\n',
    fr: "La clé OpenPGP {fingerprint} ({userIds}) publiée dans l'annuaire pour {team} expire le {date}.\nProlongez sa validité ou déposez une nouvelle clé :\n{link}\n",
  },
};

export const entryStale: MailTemplate = {
  subject: {
    en: 'Hemisphere: please re-confirm the directory entry of {team}',
    es: 'Hemisphere: vuelva a confirmar la ficha de directorio de {team}',
    pt: 'Hemisphere: reconfirme a entrada de diretório de {team}',
    fr: "Hemisphere : veuillez reconfirmer la fiche d'annuaire de {team}",
  },
  text: {
    en: 'The directory entry of {team} was last confirmed {since}. Entries are re-confirmed every {months} months; please check it and confirm:\n{link}\n',
    es: 'La ficha de {team} se confirmó por última vez {since}. Las fichas se reconfirman cada {months} meses; revísela y confírmela:\n{link}\n',
    pt: 'A entrada de {team} foi confirmada pela última vez {since}. As entradas são reconfirmadas a cada {months} meses; verifique-a e confirme:\n{link}\n',
    fr: 'La fiche de {team} a été confirmée pour la dernière fois {since}. Les fiches sont reconfirmées tous les {months} mois ; vérifiez-la et confirmez :\n{link}\n',
  },
};
